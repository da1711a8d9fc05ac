import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { messageBody } from './slack-buttons.js';
import type { MessageBody } from './slack-buttons.js';
import { slackCall, streamingRefused, toPlatformError } from './slack-errors.js';
import { deleteMessage, startStream, update } from './native-stream.js';
import { pacedPost } from './slack-rate-limits.js';
import { slackMarkdown } from './slack-text.js';
import { conversationKey, messageLocator, workspaceBudgetKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';
import type { StreamingSupport } from './streaming-support.js';

// An answer in a Slack thread. Natively streamed where the workspace allows it (native-stream.ts).
// Otherwise (startStream refused) the message is posted and updated, latest wins, like Discord's.
// Every text posted has its mentions neutralised; Markdown goes as `markdown_text`, or in a
// `markdown` block when the message has buttons (slack-buttons.ts).

export interface SlackReplyDeps {
  readonly client: webApi.WebClient;
  readonly budgets: WriteBudgets;
  readonly streaming: StreamingSupport;
  readonly logger: Logger;
  /** The user stopped a native stream with Slack's own stop: the answer stops as if Stop was pressed. */
  readonly stoppedByUser?: (answerId: string, userId: string) => void;
}

export interface SlackAsker {
  readonly thread: SlackThread;
  /** Who asked: the stream's recipient outside DMs. */
  readonly userId: string;
  /** The answer its buttons act on. */
  readonly answerId: string;
}

export function slackReplyTarget(deps: SlackReplyDeps, asker: SlackAsker): ReplyTarget {
  const { thread } = asker;
  const postOnce = async (view: MessageView): Promise<PostedMessage> => {
    if (deps.streaming.state(thread.teamId) !== 'refused') {
      try {
        const message = await startStream(deps, asker, view);
        deps.streaming.worked(thread.teamId);
        return message;
      } catch (error) {
        if (!streamingRefused(error)) throw toPlatformError(error);
        deps.streaming.refused(thread.teamId);
      }
    }
    return postMessage(deps.client, thread, view, asker.answerId);
  };
  const post = (view: MessageView) => pacedPost(deps.budgets, thread.teamId, () => postOnce(view));
  return { channelId: conversationKey(thread), start: post, followUp: post };
}

/** A plain post in the thread (through the workspace's budget), changed later with chat.update. */
export function postToThread(
  deps: SlackReplyDeps,
  thread: SlackThread,
  view: MessageView,
  answerId: string,
): Promise<PostedMessage> {
  return pacedPost(deps.budgets, thread.teamId, () => postMessage(deps.client, thread, view, answerId));
}

async function postMessage(
  client: webApi.WebClient,
  thread: SlackThread,
  view: MessageView,
  answerId: string,
): Promise<PostedMessage> {
  const posted = await slackCall(() =>
    client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, ...shownBody(view, answerId) }),
  );
  return updatableMessage(client, thread, posted.ts ?? '', answerId);
}

/** A posted message of the app, changed by chat.update: the fallback, and any message reopened later. */
export function updatableMessage(
  client: webApi.WebClient,
  thread: SlackThread,
  ts: string,
  answerId: string,
): PostedMessage {
  return {
    id: ts,
    budgetKey: workspaceBudgetKey(thread.teamId),
    locator: messageLocator(thread, ts),
    edit: (view) => update(client, thread.channel, ts, shownBody(view, answerId)),
    delete: () => deleteMessage(client, thread.channel, ts),
  };
}

// A posted message can be changed freely, so it shows the status line and its buttons too.
const shownBody = (view: MessageView, answerId: string): MessageBody =>
  messageBody(slackMarkdown(view.content), view.controls, answerId);
