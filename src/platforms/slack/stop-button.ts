import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import { STOP_BUTTON_NOTE } from '../../core/user-text.js';
import { controlsBlock } from './slack-buttons.js';
import { slackCall } from './slack-errors.js';
import type { SlackThread } from './slack-thread.js';

// The Stop button of a native stream. A stream can only be appended to: a button streamed into it
// (a `blocks` chunk) could never be taken away again, and it would sit above the text. So the
// button lives in a small message of its own, posted in the thread under the stream when it starts
// and deleted as the stream stops. Those two calls (chat.postMessage, chat.delete) are not paced by
// the workspace's write budget: Slack counts them per method, apart from chat.appendStream's tier.

export interface StopButton {
  /** Deletes the button's message (once it has been posted); a failure is logged, never thrown. */
  remove(): Promise<void>;
}

export interface StopButtonDeps {
  readonly client: webApi.WebClient;
  readonly logger: Logger;
}

export function postStopButton(deps: StopButtonDeps, thread: SlackThread, answerId: string): StopButton {
  const { client, logger } = deps;
  const failed = (what: string) => (error: unknown) => {
    logger.warn({ err: error, channel: thread.channel }, what);
    return undefined;
  };
  const posting: Promise<string | undefined> = slackCall(() =>
    client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      text: STOP_BUTTON_NOTE,
      blocks: [controlsBlock(['stop'], answerId)],
    }),
  ).then((posted) => posted.ts, failed('could not post the Stop button; the answer goes on without it'));
  let removing: Promise<void> | undefined;
  return {
    remove() {
      removing ??= posting.then(async (ts) => {
        if (ts === undefined) return;
        await slackCall(() => client.chat.delete({ channel: thread.channel, ts })).catch(
          failed('could not delete the Stop button'),
        );
      });
      return removing;
    },
  };
}
