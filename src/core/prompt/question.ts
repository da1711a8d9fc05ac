import type { QuestionAttachment } from './attachment.js';

// A question as the core sees it, whichever way it was asked.

export interface Question {
  /** The answer's id, unique per question; Regenerate and Continue keep it. */
  readonly id: string;
  /** The conversation: its history and its turn order. */
  readonly channelId: string;
  /** The server it was asked in (a Discord guild, a Slack workspace); null in a direct message. */
  readonly guildId?: string | null;
  readonly authorId: string;
  /** A stable hash of the author, never the raw id: what the model provider is told (metadata.user_id). */
  readonly authorRef?: string;
  readonly text: string;
  /** False for a private question: it reads the conversation but adds nothing to it. */
  readonly remember: boolean;
  /** What the admins set for where it was asked (/config); the operator's defaults fill the rest. */
  readonly settings?: AnswerSettings;
  /** Files sent with it (or with the message it replies to), read when it is answered. */
  readonly attachments?: readonly QuestionAttachment[];
  /**
   * The channel whose daily budget and /usage ranking it counts in: a thread's parent, so that threads
   * (one per question with THREADS=auto) cannot slip past CHANNEL_DAILY_TOKENS; absent: channelId.
   */
  readonly budgetChannelId?: string;
  /** The exchange it follows when it replies to an earlier answer (a branch); absent: the newest. */
  readonly parentId?: string;
}

export interface AnswerSettings {
  readonly system?: string | undefined;
  readonly model?: string | undefined;
  readonly maxTokens?: number | undefined;
}

/** Where a question's tokens count toward a channel's budget. */
export const budgetChannelOf = (question: Pick<Question, 'channelId' | 'budgetChannelId'>): string =>
  question.budgetChannelId ?? question.channelId;
