// What lasts of a conversation: one question and its answer per exchange, oldest first, per channel.

export interface Exchange {
  readonly question: string;
  readonly answer: string;
}

export interface ConversationStore {
  load(channelId: string): Promise<readonly Exchange[]>;
  append(channelId: string, exchange: Exchange): Promise<void>;
  /** Forgets the channel's conversation; resolves to how many exchanges were dropped. */
  clear(channelId: string): Promise<number>;
}
