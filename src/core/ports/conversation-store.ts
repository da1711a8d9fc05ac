// What lasts of a conversation: one question and its answer per exchange, oldest first, per channel.

export interface Exchange {
  /** The answer's id: it stays when the answer is regenerated or continued. */
  readonly id: string;
  readonly question: string;
  readonly answer: string;
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
