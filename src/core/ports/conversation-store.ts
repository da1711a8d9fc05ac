import type { ProviderBlock } from './model.js';

// What lasts of a conversation: one question and its answer per exchange, oldest first, per channel.
// Exchanges form a chain: each follows the one before it, unless it was a reply to an older answer
// (a branch), which it then follows instead.

export interface Exchange {
  /** The answer's id: it stays when the answer is regenerated or continued. */
  readonly id: string;
  /** The question's text, with a short marker for each file it carried (never the file itself). */
  readonly question: string;
  /** The answer as the user saw it (citation markers and sources included). */
  readonly answer: string;
  /**
   * Claude's answer as the blocks it returned (thinking with signatures, tool use and results, text
   * with citations), sent back unchanged instead of `answer`; absent when the answer is text only.
   */
  readonly answerBlocks?: readonly ProviderBlock[];
  /** The exchange this one follows; absent: the one stored before it. */
  readonly parentId?: string;
  /** The ids of the reply's messages, so that a reply to any of them finds this exchange. */
  readonly replyIds?: readonly string[];
}

export interface ConversationStore {
  load(channelId: string): Promise<readonly Exchange[]>;
  /** Replaces the exchange with the same id, or adds it as the newest. */
  upsert(channelId: string, exchange: Exchange): Promise<void>;
  /** Forgets one exchange (a deleted or regenerated answer). */
  remove(channelId: string, id: string): Promise<void>;
  /** Forgets the channel's conversation; resolves to how many exchanges were dropped. */
  clear(channelId: string): Promise<number>;
}
