import type { webApi } from '@slack/bolt';
import type { Asker } from '../../core/access/access-policy.js';
import { admissionText } from '../../core/access/admission.js';
import type { Admit } from '../../core/access/admission.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Question } from '../../core/prompt/question.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import type { FetchAttachment } from '../shared/attachment-fetcher.js';
import { slackAuthorRef } from './slack-author-ref.js';
import { slackCall } from './slack-errors.js';
import { slackAttachments } from './slack-files.js';
import type { SlackFile } from './slack-files.js';
import { pacedPost } from './slack-rate-limits.js';
import { slackReplyTarget } from './slack-reply-target.js';
import type { SlackReplyDeps } from './slack-reply-target.js';
import { slackMarkdown } from './slack-text.js';
import { conversationKey } from './slack-thread.js';
import type { SlackThread } from './slack-thread.js';

// A Slack message becomes a question when it mentions the app in a channel (app_mention) or is a DM
// to it (message.im), comes from a person, and the admission (access lists, budgets, queue) lets it
// through. The answer goes into the message's thread — a new thread under the question when it was
// asked outside one — and each thread is one conversation.

/** The fields of an app_mention or message event that a question needs. */
export interface SlackMessageEvent {
  readonly user?: string | undefined;
  readonly text?: string | undefined;
  readonly ts: string;
  readonly thread_ts?: string | undefined;
  readonly channel: string;
  readonly team?: string | undefined;
  readonly bot_id?: string | undefined;
  readonly subtype?: string | undefined;
  readonly files?: readonly SlackFile[] | undefined;
}

// A person's plain message, or one sharing files; edits, joins, bots' and the app's own are not questions.
const QUESTION_SUBTYPES = new Set([undefined, 'file_share']);

/** Whether the event is a person writing (with or without files), not an edit or a system message. */
function isPersonMessage(event: Pick<SlackMessageEvent, 'subtype' | 'bot_id'>): boolean {
  return event.bot_id === undefined && QUESTION_SUBTYPES.has(event.subtype);
}

/** Where the event came from, from Bolt's context. */
export interface SlackWhere {
  readonly teamId: string;
  readonly botUserId: string;
  readonly direct: boolean;
}

export interface SlackQuestionDeps {
  readonly answerer: Answerer;
  readonly admit: Admit;
  readonly budgets: WriteBudgets;
  readonly clock: Clock;
  readonly reply: SlackReplyDeps;
  readonly client: webApi.WebClient;
  readonly fetchFile: FetchAttachment;
}

export function createSlackQuestionHandler(
  deps: SlackQuestionDeps,
): (event: SlackMessageEvent, where: SlackWhere) => Promise<void> {
  // A refusal or a full queue, told in the thread; a 429 holds the workspace's budget and it goes again.
  const shortReply = (thread: SlackThread, text: string) =>
    pacedPost(deps.budgets, thread.teamId, async () => {
      await slackCall(() =>
        deps.client.chat.postMessage({
          channel: thread.channel,
          thread_ts: thread.threadTs,
          markdown_text: slackMarkdown(text),
        }),
      );
    });
  return async (event, where) => {
    const userId = event.user;
    if (userId === undefined || !isPersonMessage(event)) return;
    if (userId === where.botUserId) return;
    const thread = { teamId: where.teamId, channel: event.channel, threadTs: event.thread_ts ?? event.ts };
    const question = questionOf(event, userId, thread, where, deps.fetchFile);
    const asker: Asker = {
      userId,
      roleIds: [],
      guildId: where.direct ? null : where.teamId,
      channelIds: [event.channel],
    };
    const admission = await deps.admit(question, asker);
    if (admission.kind === 'admitted') {
      const target = slackReplyTarget(deps.reply, { thread, userId, answerId: admission.question.id });
      const started = deps.answerer.start({ question: admission.question, target });
      if ('refused' in started) return shortReply(thread, started.refused);
      await started.answering;
      return;
    }
    if (admission.kind === 'not-allowed' && !admission.told) return;
    await shortReply(thread, admissionText(admission, deps.clock.now()));
  };
}

function questionOf(
  event: SlackMessageEvent,
  userId: string,
  thread: SlackThread,
  where: SlackWhere,
  fetchFile: FetchAttachment,
): Question {
  return {
    id: `slack:${where.teamId}:${event.channel}:${event.ts}`,
    channelId: conversationKey(thread),
    // A thread's tokens count toward its channel's daily budget.
    budgetChannelId: `slack:${where.teamId}:${event.channel}`,
    guildId: where.direct ? null : where.teamId,
    authorId: userId,
    authorRef: slackAuthorRef(where.teamId, userId),
    text: stripMention(event.text ?? '', where.botUserId),
    attachments: slackAttachments(event.files, fetchFile),
    remember: true,
  };
}

/** The question without the mention of the app. */
export function stripMention(text: string, botUserId: string): string {
  return text.replaceAll(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), '').trim();
}
