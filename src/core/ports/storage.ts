import type { ConversationStore } from './conversation-store.js';

// What must outlast the process, behind one interface: SQLite on one machine, Redis across many.

/** Tokens one answer used. */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheCreation: number;
}

export interface UsageStore {
  /** Adds to the counters of `key` (e.g. "user:123:2026-11-24"), atomically; returns the new totals. */
  add(key: string, tokens: TokenCounts): Promise<TokenCounts>;
  get(key: string): Promise<TokenCounts>;
}

/** A reply that was streaming: if the process dies, the next start edits it to say it was interrupted. */
export interface StreamingReply {
  readonly answerId: string;
  readonly channelId: string;
  /**
   * Where the platform finds the reply's messages again, in order (e.g. a channel and message id, or
   * an interaction's webhook while its token lives).
   */
  readonly locators: readonly string[];
  /** Which process streams it, so a sweep only takes replies whose owner is gone. */
  readonly owner: string;
  readonly startedAt: number;
}

export interface StreamingReplies {
  /** Records or updates a streaming reply. */
  put(reply: StreamingReply): Promise<void>;
  /** The reply has ended: forget it. */
  remove(answerId: string): Promise<void>;
  /** Every reply still recorded, oldest first. */
  list(): Promise<StreamingReply[]>;
}

export interface ChannelLease {
  /** Gives the channel up; safe to call twice. */
  release(): Promise<void>;
}

/**
 * One answer at a time per channel across every process. A holder that dies stops blocking the
 * channel once its lease runs out; a living holder keeps renewing it.
 */
export interface ChannelLocks {
  /** Waits until the channel is free (or `signal` aborts, rejecting) and takes it. */
  acquire(channelId: string, signal: AbortSignal): Promise<ChannelLease>;
}

export interface Storage {
  readonly conversations: ConversationStore;
  readonly usage: UsageStore;
  readonly streaming: StreamingReplies;
  readonly locks: ChannelLocks;
  /** Flushes and closes connections. */
  close(): Promise<void>;
}
