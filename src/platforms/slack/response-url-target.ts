import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { MessageView } from '../../core/reply/message-view.js';
import { ExpiredError } from '../../core/reply/platform-errors.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import { PLACEHOLDER } from '../../core/user-text.js';
import type { ResponseUrl } from './response-url.js';
import { isStreaming, slackMarkdown } from './slack-text.js';

// A private /ask (`/ask private: …`): the answer reaches the caller alone, as ephemeral messages
// through the command's response_url. An ephemeral message cannot be streamed into or chat.update'd,
// only replaced through the response_url, which takes five posts in all: the placeholder, at most
// two updates while Claude writes (ten seconds apart at least), and the end, with one post kept for a
// next piece or a notice. The core's other edits are dropped: latest wins, and the end always shows.

const MIN_UPDATE_GAP_MS = 10_000;
// Posts an update must leave: the end of this message and one more.
const KEPT_FOR_ENDS = 2;
// The reply is sealed this long before the response_url stops taking posts, to show its end.
const SEAL_BEFORE_EXPIRY_MS = 60_000;

export interface ResponseUrlTargetOptions {
  readonly answerId: string;
  /** The conversation, for the logs. */
  readonly channelId: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function responseUrlTarget(url: ResponseUrl, options: ResponseUrlTargetOptions): ReplyTarget {
  const { answerId, clock, logger } = options;
  // replace_original acts on the newest message only: older ones keep what they last showed.
  let newest = 0;
  let lastPostAt = Number.NEGATIVE_INFINITY;

  const show = async (view: MessageView, replace: boolean): Promise<boolean> => {
    const shown = await url.post(slackMarkdown(view.content) || PLACEHOLDER, { replace });
    if (shown) lastPostAt = clock.now();
    else logger.warn({ answerId }, 'no response_url post left: the private answer is not shown in full');
    return shown;
  };
  const message = (number: number): PostedMessage => ({
    id: `${answerId}:${number}`,
    budgetKey: `slack-response:${answerId}`,
    // Nothing to find again after a restart: an ephemeral message outlives no response_url.
    locator: `slack-response-url:${answerId}:${number}`,
    async edit(view) {
      if (number !== newest) return;
      const end = !isStreaming(view);
      const early = clock.now() - lastPostAt < MIN_UPDATE_GAP_MS;
      if (!end && (early || url.left() <= KEPT_FOR_ENDS)) return;
      await show(view, true);
    },
    // An ephemeral message leaves with the caller's next reload; nothing to delete through the URL.
    delete: () => Promise.resolve(),
  });
  const post = async (view: MessageView): Promise<PostedMessage> => {
    if (!(await show(view, false))) throw new ExpiredError('no response_url post left');
    newest += 1;
    return message(newest);
  };

  return {
    channelId: options.channelId,
    start: post,
    followUp: post,
    deadline: { at: url.expiresAt - SEAL_BEFORE_EXPIRY_MS, continuesAfterDeadline: false },
  };
}
