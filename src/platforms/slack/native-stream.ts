import { webApi } from '@slack/bolt';
import type { Control, MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage } from '../../core/reply/reply-target.js';
import { isUnreachable } from '../../core/reply/platform-errors.js';
import type { PlatformError } from '../../core/reply/platform-errors.js';
import { PLACEHOLDER, WAITING_STATUS } from '../../core/user-text.js';
import { endBlocks, messageBody } from './slack-buttons.js';
import type { MessageBody } from './slack-buttons.js';
import { slackCall, slackErrorCode, toPlatformError } from './slack-errors.js';
import type { SlackAsker, SlackReplyDeps } from './slack-reply-target.js';
import { answerTextOf, isStreaming, slackMarkdown } from './slack-text.js';
import { messageLocator, streamBudgetKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';
import { postStopButton } from './stop-button.js';

// A natively streamed answer message: chat.startStream opens it, each edit from the core's
// latest-wins editor appends what its text adds (chat.appendStream), and the edit without Stop — the
// end — is chat.stopStream with the rest and the end's buttons (`blocks`, shown under the text).
// While it streams, its Stop button is a message of its own (stop-button.ts). Slack's own stop
// (`stopped_by_user`) stops the answer as Stop does; the end is then shown with chat.update.

type StreamState = 'streaming' | 'stopped';

// The text a view gives a message: the placeholder shows nothing in a stream (it could not be taken
// back), and the status line is never streamed.
const streamText = (view: MessageView): string => {
  const text = answerTextOf(view);
  return text === PLACEHOLDER ? '' : slackMarkdown(text);
};

// Slack's own stop: the user ended the stream in Slack; it shows what was appended so far.
const stoppedInSlack = (error: unknown) => slackErrorCode(error) === 'stopped_by_user';
// The stream ended without us (Slack closes one left too long without an append): the message stays
// and takes updates, so the answer goes on there whole.
const streamGone = (error: unknown) => slackErrorCode(error) === 'message_not_in_streaming_state';

// The thread's status for a view: its own status line, or "is thinking…" while nothing is written.
const statusOf = (view: MessageView, text: string): string => view.status ?? (text === '' ? WAITING_STATUS : '');

/** Starts the stream; rejects with Slack's own error (not the core's) so that a refusal can be told apart. */
export async function startStream(deps: SlackReplyDeps, asker: SlackAsker, first: MessageView): Promise<PostedMessage> {
  const { client } = deps;
  const { thread } = asker;
  const initial = streamText(first);
  const started = await client.chat.startStream({
    channel: thread.channel,
    thread_ts: thread.threadTs,
    recipient_user_id: asker.userId,
    recipient_team_id: thread.teamId,
    ...(initial === '' ? {} : { markdown_text: initial }),
  });
  const ts = started.ts ?? '';
  const stream = streamedMessage(deps, asker, ts, initial, isStreaming(first));
  // A piece posted already complete (the text passed the limit more than once at a time) gets no
  // later edit that could end its stream: it ends now. Otherwise the thread says Claude is at work.
  if (!isStreaming(first)) await stream.edit(first);
  // The status goes beside the first writes, never before them (it never rejects).
  else stream.showStatus(statusOf(first, initial)).catch(() => undefined);
  return {
    id: ts,
    budgetKey: streamBudgetKey(thread.teamId),
    locator: messageLocator(thread, ts),
    edit: stream.edit,
    delete: () => deleteMessage(client, thread.channel, ts),
  };
}

function streamedMessage(deps: SlackReplyDeps, asker: SlackAsker, ts: string, initial: string, withStop: boolean) {
  const { client } = deps;
  const { thread, answerId } = asker;
  const message = { channel: thread.channel, ts };
  const showStatus = threadStatus(deps, thread);
  const stopButton = withStop ? postStopButton(deps, thread, answerId) : undefined;
  const shownWhole = (text: string, controls: readonly Control[]) =>
    update(client, thread.channel, ts, messageBody(text, controls, answerId));
  let sent = initial;
  let state: StreamState = 'streaming';
  // The Stop button and the status go before the end shows; the state turns once Slack took the end.
  const clearAround = async () => {
    await stopButton?.remove();
    await showStatus('');
  };
  const ended = async () => {
    state = 'stopped';
    await clearAround();
  };

  // A message that can no longer be written gets no end: its Stop button goes now.
  const unreachable = async (error: PlatformError) => {
    if (isUnreachable(error)) await stopButton?.remove();
    return error;
  };

  // The state changes once Slack has taken the call: a stop refused for rate limits is tried again.
  const stop = async (text: string, controls: readonly Control[]) => {
    // An end that does not continue what streamed (rare: a notice replacing text) is shown whole.
    const rest = text.startsWith(sent) ? text.slice(sent.length) : undefined;
    const end = rest === undefined ? message : { ...message, ...endBlocks(controls, answerId) };
    // The Stop button and the status go first: nothing may offer to stop an answer that has ended.
    await clearAround();
    try {
      await client.chat.stopStream(rest ? { ...end, markdown_text: rest } : end);
    } catch (error) {
      // Stopped in Slack just before the end, or by Slack: the update below shows the whole.
      if (!stoppedInSlack(error) && !streamGone(error)) throw await unreachable(toPlatformError(error));
      await ended();
      await shownWhole(text, controls);
      return;
    }
    state = 'stopped';
    sent = text;
    if (rest === undefined) await shownWhole(text, controls);
  };

  const append = async (text: string, controls: readonly Control[]) => {
    // Appending is all a stream can do: text that does not continue what was sent waits for the end.
    if (!text.startsWith(sent) || text.length === sent.length) return;
    try {
      await client.chat.appendStream({ ...message, markdown_text: text.slice(sent.length) });
      sent = text;
    } catch (error) {
      if (streamGone(error)) {
        // From now on the message is updated whole, as in the post-and-update fallback.
        await ended();
        return shownWhole(text, controls);
      }
      if (!stoppedInSlack(error)) throw await unreachable(toPlatformError(error));
      // The answer stops as if Stop was pressed; its end comes as the next (final) edit.
      await ended();
      deps.stoppedByUser?.(answerId, asker.userId);
    }
  };

  const edit = async (view: MessageView): Promise<void> => {
    const text = streamText(view);
    if (state === 'stopped') return shownWhole(text, view.controls);
    if (!isStreaming(view)) return stop(text, view.controls);
    // The text never waits for the status: both go at once.
    await Promise.all([showStatus(statusOf(view, text)), append(text, view.controls)]);
  };
  return { edit, showStatus };
}

// The status line of a native stream (it cannot be appended and taken back): the thread's status
// (assistant.threads.setStatus, '' clears it). It works in the app's assistant threads only; where
// Slack refuses it (a channel thread, no assistant:write) the status is left out for this message.
function threadStatus(deps: SlackReplyDeps, thread: SlackThread): (status: string) => Promise<void> {
  let wanted = '';
  let works = true;
  // One call after the other, so that a status set late never outlives the one that clears it.
  let last: Promise<void> = Promise.resolve();
  const set = async (status: string) => {
    if (!works) return;
    try {
      await deps.client.assistant.threads.setStatus({ channel_id: thread.channel, thread_ts: thread.threadTs, status });
    } catch (error) {
      // Rate limited: this status is skipped, the next one tries (the answer never waits for a status).
      works = error instanceof webApi.WebAPIRateLimitedError;
      deps.logger.debug({ err: error, channel: thread.channel }, 'Slack refused the thread status; left out');
    }
  };
  return (status) => {
    if (status === wanted) return last;
    wanted = status;
    last = last.then(() => set(status));
    return last;
  };
}

/** Replaces what an app's message shows (a stream only once it has stopped). */
export async function update(client: webApi.WebClient, channel: string, ts: string, body: MessageBody): Promise<void> {
  await slackCall(() => client.chat.update({ channel, ts, ...body }));
}

export async function deleteMessage(client: webApi.WebClient, channel: string, ts: string): Promise<void> {
  await slackCall(() => client.chat.delete({ channel, ts }));
}
