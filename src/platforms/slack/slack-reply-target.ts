import { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { PLACEHOLDER } from '../../core/user-text.js';
import { slackCall, streamingRefused, toPlatformError } from './slack-errors.js';
import { postsHeld } from './slack-rate-limits.js';
import { answerTextOf, isStreaming, slackMarkdown } from './slack-text.js';
import { conversationKey, messageLocator, workspaceBudgetKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';
import type { StreamingSupport } from './streaming-support.js';

// An answer in a Slack thread. Natively streamed where the workspace allows it: chat.startStream
// opens the message, each edit from the core's latest-wins editor appends what its text adds
// (chat.appendStream), and the edit without Stop — the end — is chat.stopStream with the rest.
// Otherwise (startStream refused) the message is posted and updated, latest wins, like Discord's.
// Every text posted has its mentions neutralised; Markdown goes as `markdown_text`.

export interface SlackReplyDeps {
  readonly client: webApi.WebClient;
  readonly budgets: WriteBudgets;
  readonly streaming: StreamingSupport;
  readonly logger: Logger;
}

export interface SlackAsker {
  readonly thread: SlackThread;
  /** Who asked: the stream's recipient outside DMs. */
  readonly userId: string;
}

export function slackReplyTarget(deps: SlackReplyDeps, asker: SlackAsker): ReplyTarget {
  const { thread } = asker;
  const postOnce = async (view: MessageView): Promise<PostedMessage> => {
    await deps.budgets.for(workspaceBudgetKey(thread.teamId)).acquire('post');
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
    return postMessage(deps.client, thread, view);
  };
  const post = (view: MessageView) => postsHeld(deps.budgets, thread.teamId, () => postOnce(view));
  return { channelId: conversationKey(thread), start: post, followUp: post };
}

// The text a view gives a message: the placeholder shows nothing in a stream (it could not be taken
// back), and the status line is never streamed.
const streamText = (view: MessageView): string => {
  const text = answerTextOf(view);
  return text === PLACEHOLDER ? '' : slackMarkdown(text);
};

type StreamState = 'streaming' | 'stopped';

async function startStream(deps: SlackReplyDeps, asker: SlackAsker, first: MessageView): Promise<PostedMessage> {
  const { client } = deps;
  const { thread } = asker;
  const initial = streamText(first);
  // Called raw (not through slackCall): a refusal must keep Slack's code for streamingRefused.
  const started = await client.chat.startStream({
    channel: thread.channel,
    thread_ts: thread.threadTs,
    recipient_user_id: asker.userId,
    recipient_team_id: thread.teamId,
    ...(initial === '' ? {} : { markdown_text: initial }),
  });
  const ts = started.ts ?? '';
  let sent = initial;
  let state: StreamState = 'streaming';
  const message = { channel: thread.channel, ts };
  const showStatus = threadStatus(deps, thread);
  // The state changes once Slack has taken the call: a stop refused for rate limits is tried again.
  const stop = async (text: string) => {
    await showStatus('');
    if (text.startsWith(sent)) {
      const rest = text.slice(sent.length);
      await slackCall(() => client.chat.stopStream({ ...message, ...(rest === '' ? {} : { markdown_text: rest }) }));
      state = 'stopped';
      sent = text;
      return;
    }
    // The end is not a continuation of what streamed (rare: a notice replacing text): stop, then show it whole.
    await slackCall(() => client.chat.stopStream(message));
    state = 'stopped';
    await update(client, thread.channel, ts, text);
    sent = text;
  };
  // A piece posted already complete (the text passed the limit more than once at a time) gets no
  // later edit that could end its stream: it ends now.
  if (!isStreaming(first)) await stop(initial);
  return {
    id: ts,
    budgetKey: workspaceBudgetKey(thread.teamId),
    locator: messageLocator(thread, ts),
    edit: async (view) => {
      const text = streamText(view);
      if (state === 'stopped') return update(client, thread.channel, ts, text);
      if (!isStreaming(view)) return stop(text);
      await showStatus(view.status ?? '');
      // Appending is all a stream can do: text that does not continue what was sent waits for the end.
      if (!text.startsWith(sent) || text.length === sent.length) return;
      // What a refused append (e.g. a 429) would have added goes with the next one.
      await slackCall(() => client.chat.appendStream({ ...message, markdown_text: text.slice(sent.length) }));
      sent = text;
    },
    delete: () => deleteMessage(client, thread.channel, ts),
  };
}

// The status line of a native stream (it cannot be appended and taken back): the thread's status
// (assistant.threads.setStatus, '' clears it). It works in the app's assistant threads only; where
// Slack refuses it (a channel thread, no assistant:write) the status is left out for this message.
function threadStatus(deps: SlackReplyDeps, thread: SlackThread): (status: string) => Promise<void> {
  let shown = '';
  let works = true;
  return async (status) => {
    if (!works || status === shown) return;
    shown = status;
    try {
      await deps.client.assistant.threads.setStatus({ channel_id: thread.channel, thread_ts: thread.threadTs, status });
    } catch (error) {
      // Rate limited: this status is skipped, the next one tries (the answer never waits for a status).
      works = error instanceof webApi.WebAPIRateLimitedError;
      deps.logger.debug({ err: error, channel: thread.channel }, 'Slack refused the thread status; left out');
    }
  };
}

/** A plain post in the thread (through the workspace's budget), changed later with chat.update. */
export function postToThread(deps: SlackReplyDeps, thread: SlackThread, view: MessageView): Promise<PostedMessage> {
  return postsHeld(deps.budgets, thread.teamId, async () => {
    await deps.budgets.for(workspaceBudgetKey(thread.teamId)).acquire('post');
    return postMessage(deps.client, thread, view);
  });
}

async function postMessage(client: webApi.WebClient, thread: SlackThread, view: MessageView): Promise<PostedMessage> {
  const posted = await slackCall(() =>
    client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      markdown_text: shownText(view),
    }),
  );
  return updatableMessage(client, thread, posted.ts ?? '');
}

/** A posted message of the app, changed by chat.update: the fallback, and any message reopened later. */
export function updatableMessage(client: webApi.WebClient, thread: SlackThread, ts: string): PostedMessage {
  return {
    id: ts,
    budgetKey: workspaceBudgetKey(thread.teamId),
    locator: messageLocator(thread, ts),
    edit: (view) => update(client, thread.channel, ts, shownText(view)),
    delete: () => deleteMessage(client, thread.channel, ts),
  };
}

// A posted message can be changed freely, so it shows the status line too; never empty.
const shownText = (view: MessageView): string => slackMarkdown(view.content) || PLACEHOLDER;

async function update(client: webApi.WebClient, channel: string, ts: string, text: string): Promise<void> {
  await slackCall(() => client.chat.update({ channel, ts, markdown_text: text || PLACEHOLDER }));
}

async function deleteMessage(client: webApi.WebClient, channel: string, ts: string): Promise<void> {
  await slackCall(() => client.chat.delete({ channel, ts }));
}
