import type { webApi } from '@slack/bolt';
import { interruptedContent } from '../../core/answer/interrupted-reply.js';
import { sweepInterruptedReplies } from '../../core/answer/restart-sweep.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Storage, StreamingReply } from '../../core/ports/storage.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { notices } from '../../core/user-text.js';
import { slackCall, slackErrorCode, toPlatformError } from './slack-errors.js';
import { slackMarkdown } from './slack-text.js';
import { locatedMessage, teamOfKey, workspaceBudgetKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';

// After a crash, the Slack answers that were streaming are still on record (keys `slack:…`, never a
// Discord channel id). The core's sweep hands this workspace's to us: a stream left open is stopped
// (Slack would keep showing it as being written), then the last message gets the interrupted notice
// under the text it had. Records of other workspaces (a shared Redis) are left to their own app.

export interface SlackSweepDeps {
  readonly client: webApi.WebClient;
  readonly storage: Storage;
  readonly owner: string;
  readonly logger: Logger;
  /** The notice is an answer's last edit: it takes a final slot of the workspace's budget. */
  readonly budgets: WriteBudgets;
  /** Slack's message limit for answers: the text and the notice fit in it. */
  readonly messageLimit: number;
  readonly waitMs: number;
  readonly signal: AbortSignal;
}

interface SlackMessageRef {
  readonly thread: SlackThread;
  readonly ts: string;
}

export async function sweepSlackInterrupted(deps: SlackSweepDeps): Promise<number> {
  // The workspace this app is installed in.
  const { team_id: teamId } = await slackCall(() => deps.client.auth.test());
  if (teamId === undefined) return 0;
  return sweepInterruptedReplies({
    ...deps,
    servedHere: (reply) => Promise.resolve(teamOfKey(reply.channelId) === teamId),
    markInterrupted: (reply) => markInterrupted(deps, reply),
    toCoreError: toPlatformError,
  });
}

async function markInterrupted(deps: SlackSweepDeps, reply: StreamingReply): Promise<void> {
  const messages = reply.locators.map(locatedMessage).filter((message) => message !== undefined);
  const last = messages.at(-1);
  if (last === undefined) return;
  // An earlier piece's stream stopped when the next piece began, unless the crash came in between.
  for (const earlier of messages.slice(0, -1)) await stopStream(deps.client, earlier);
  const stopped = await stopStream(deps.client, last);
  const shown = stopped ?? (await textOf(deps, last));
  await deps.budgets.for(workspaceBudgetKey(last.thread.teamId)).acquire('final');
  if (shown === undefined) {
    // The text cannot be read back (no history scope for this channel): rather than erase the
    // answer, the notice follows it in the thread.
    await slackCall(() =>
      deps.client.chat.postMessage({
        channel: last.thread.channel,
        thread_ts: last.thread.threadTs,
        markdown_text: slackMarkdown(notices.restarted),
      }),
    );
    return;
  }
  const text = slackMarkdown(interruptedContent(shown, deps.messageLimit));
  await slackCall(() => deps.client.chat.update({ channel: last.thread.channel, ts: last.ts, markdown_text: text }));
}

// Slack's codes for a message that is not (or no longer) streaming: nothing to stop.
const NOT_STREAMING = new Set(['message_not_in_streaming_state', 'stopped_by_user']);

/** Stops the message's stream; the text it shows then, when Slack says, else undefined. */
async function stopStream(client: webApi.WebClient, message: SlackMessageRef): Promise<string | undefined> {
  try {
    const stopped = await client.chat.stopStream({ channel: message.thread.channel, ts: message.ts });
    const text = stopped.message?.text;
    return text === undefined ? undefined : unescaped(text);
  } catch (error) {
    if (NOT_STREAMING.has(slackErrorCode(error) ?? '')) return undefined;
    throw error;
  }
}

/** The message's text as Slack has it now, from its thread; undefined when Slack will not say. */
async function textOf(deps: SlackSweepDeps, message: SlackMessageRef): Promise<string | undefined> {
  const { channel, threadTs } = message.thread;
  try {
    const replies = await deps.client.conversations.replies({
      channel,
      ts: threadTs,
      oldest: message.ts,
      latest: message.ts,
      inclusive: true,
    });
    const found = replies.messages?.find((reply) => reply.ts === message.ts);
    return found === undefined ? undefined : (markdownOf(found.blocks) ?? unescaped(found.text ?? ''));
  } catch (error) {
    const code = slackErrorCode(error);
    // missing_scope: the app may not read this channel's history (see README → Slack).
    if (code === undefined || code === 'thread_not_found' || code === 'channel_not_found') throw error;
    deps.logger.info({ err: toPlatformError(error), channel }, 'could not read an interrupted Slack answer back');
    return undefined;
  }
}

// A message with buttons is a markdown block (its `text` only the notification's short version).
function markdownOf(blocks: readonly unknown[] | undefined): string | undefined {
  const texts = (blocks ?? []).flatMap((block) => {
    const { type, text } = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
    return type === 'markdown' && typeof text === 'string' ? [text] : [];
  });
  return texts.length === 0 ? undefined : texts.join('\n');
}

// Slack escapes &, < and > in a message's `text`; the update's Markdown wants them as written.
function unescaped(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
