import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';
import type { Control, MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { PLACEHOLDER } from '../../core/user-text.js';
import { endBlocks, messageBody } from './slack-buttons.js';
import type { MessageBody } from './slack-buttons.js';
import { slackCall, slackErrorCode, streamingRefused, toPlatformError } from './slack-errors.js';
import { answerTextOf, isStreaming, slackMarkdown } from './slack-text.js';
import { conversationKey, messageLocator, workspaceBudgetKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';
import type { StreamingSupport } from './streaming-support.js';
import { postStopButton } from './stop-button.js';

// An answer in a Slack thread. Natively streamed where the workspace allows it: chat.startStream
// opens the message, each edit from the core's latest-wins editor appends what its text adds
// (chat.appendStream), and the edit without Stop — the end — is chat.stopStream with the rest.
// Otherwise (startStream refused) the message is posted and updated, latest wins, like Discord's.
// Every text posted has its mentions neutralised; Markdown goes as `markdown_text`, or in a
// `markdown` block when the message has buttons (slack-buttons.ts). A stream's Stop button is a
// message of its own (stop-button.ts); Slack's own stop (`stopped_by_user`) stops the answer.

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
  const post = async (view: MessageView): Promise<PostedMessage> => {
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
    return postMessage(deps.client, thread, view, asker.answerId);
  };
  return { channelId: conversationKey(thread), start: post, followUp: post };
}

// The text a view gives a message: the placeholder shows nothing in a stream (it could not be taken
// back), and the status line is never streamed.
const streamText = (view: MessageView): string => {
  const text = answerTextOf(view);
  return text === PLACEHOLDER ? '' : slackMarkdown(text);
};

type StreamState = 'streaming' | 'stopped';

// Slack's own stop: the user ended the stream in Slack; it shows what was appended so far.
const stoppedByUser = (error: unknown) => slackErrorCode(error) === 'stopped_by_user';

async function startStream(deps: SlackReplyDeps, asker: SlackAsker, first: MessageView): Promise<PostedMessage> {
  const { client } = deps;
  const { thread, answerId } = asker;
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
  const stopButton = isStreaming(first) ? postStopButton(deps, thread, answerId) : undefined;
  const ended = async () => {
    state = 'stopped';
    await stopButton?.remove();
    await showStatus('');
  };
  const stop = async (text: string, controls: readonly Control[]) => {
    await ended();
    const rest = text.startsWith(sent) ? text.slice(sent.length) : undefined;
    try {
      const end = {
        ...message,
        ...(rest ? { markdown_text: rest } : {}),
        ...(rest === undefined ? {} : endBlocks(controls, answerId)),
      };
      await client.chat.stopStream(end);
    } catch (error) {
      // Stopped in Slack just before the end: the message shows what was appended, the update below the rest.
      if (!stoppedByUser(error)) throw toPlatformError(error);
      await update(client, thread.channel, ts, messageBody(text, controls, answerId));
      sent = text;
      return;
    }
    // The end is not a continuation of what streamed (rare: a notice replacing text): shown whole.
    if (rest === undefined) await update(client, thread.channel, ts, messageBody(text, controls, answerId));
    sent = text;
  };
  // A piece posted already complete (the text passed the limit more than once at a time) gets no
  // later edit that could end its stream: it ends now.
  if (!isStreaming(first)) await stop(initial, first.controls);
  return {
    id: ts,
    budgetKey: workspaceBudgetKey(thread.teamId),
    locator: messageLocator(thread, ts),
    edit: async (view) => {
      const text = streamText(view);
      if (state === 'stopped') return update(client, thread.channel, ts, messageBody(text, view.controls, answerId));
      if (!isStreaming(view)) return stop(text, view.controls);
      await showStatus(view.status ?? '');
      // Appending is all a stream can do: text that does not continue what was sent waits for the end.
      if (!text.startsWith(sent) || text.length === sent.length) return;
      const added = text.slice(sent.length);
      try {
        await client.chat.appendStream({ ...message, markdown_text: added });
        sent = text;
      } catch (error) {
        if (!stoppedByUser(error)) throw toPlatformError(error);
        // The answer stops as if Stop was pressed; its end is shown by the next (final) edit.
        await ended();
        deps.stoppedByUser?.(answerId, asker.userId);
      }
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
      works = false;
      deps.logger.debug({ err: error, channel: thread.channel }, 'Slack refused the thread status; left out');
    }
  };
}

/** A plain post in the thread (through the workspace's budget), changed later with chat.update. */
export async function postToThread(
  deps: SlackReplyDeps,
  thread: SlackThread,
  view: MessageView,
  answerId: string,
): Promise<PostedMessage> {
  await deps.budgets.for(workspaceBudgetKey(thread.teamId)).acquire('post');
  return postMessage(deps.client, thread, view, answerId);
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

async function update(client: webApi.WebClient, channel: string, ts: string, body: MessageBody): Promise<void> {
  await slackCall(() => client.chat.update({ channel, ts, ...body }));
}

async function deleteMessage(client: webApi.WebClient, channel: string, ts: string): Promise<void> {
  await slackCall(() => client.chat.delete({ channel, ts }));
}
