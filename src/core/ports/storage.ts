import type { ConversationStore } from './conversation-store.js';

// What must outlast the process, behind one interface: SQLite on one machine, Redis across many.

/** Tokens one answer used. */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheCreation: number;
}

/** One member of a ranking with its score, e.g. a channel and the tokens it used today. */
export interface Ranked {
  readonly member: string;
  readonly score: number;
}

export interface UsageStore {
  /** Adds to the counters of `key` (e.g. "user:123:2026-11-24"), atomically; returns the new totals. */
  add(key: string, tokens: TokenCounts): Promise<TokenCounts>;
  get(key: string): Promise<TokenCounts>;
  /** The counters of each key, in order, in one round trip where the store allows. */
  getMany(keys: readonly string[]): Promise<TokenCounts[]>;
  /** Adds `amount` to `member`'s score in `ranking` (e.g. "guild:1:channels:2026-11-24"), atomically. */
  rank(ranking: string, member: string, amount: number): Promise<void>;
  /** The `limit` highest scores of `ranking`, highest first (ties in any order). */
  top(ranking: string, limit: number): Promise<Ranked[]>;
}

/**
 * Requests counted in fixed windows of time, e.g. per user per minute, for rate limits that hold
 * across every process sharing the store.
 */
export interface RequestWindows {
  /**
   * Counts one request under `key` in the window of `windowMs` that `now` falls in (windows start at
   * multiples of `windowMs` since the epoch), unless `limit` requests were counted there already.
   * Atomic: of N concurrent takes at count limit-1, exactly one is taken.
   */
  take(key: string, limit: number, windowMs: number, now: number): Promise<WindowTake>;
}

export interface WindowTake {
  readonly taken: boolean;
  /** Requests counted in the window, this one included when taken. */
  readonly count: number;
  /** When the window ends (epoch ms): a refused request may be taken from then on. */
  readonly resetsAt: number;
}

/**
 * What an admin set with /config for a guild ("guild:<id>") or a channel ("channel:<id>"). Absent
 * fields fall back (a channel's to its guild's, a guild's to the operator's environment).
 */
export interface ScopeSettings {
  /** The system prompt. */
  readonly persona?: string;
  readonly model?: string;
  readonly maxTokens?: number;
  /** A guild's own access lists (guild scope only). */
  readonly access?: StoredAccessLists;
}

/** A guild's lists; a list that is absent falls back to the operator's (environment) list. */
export interface StoredAccessLists {
  readonly allowedChannelIds?: readonly string[];
  readonly allowedRoleIds?: readonly string[];
  readonly allowedUserIds?: readonly string[];
  readonly blockedUserIds?: readonly string[];
}

export interface SettingsStore {
  /** The settings of each scope, in order ({} for a scope never set), in one round trip where the store allows. */
  getMany(scopes: readonly string[]): Promise<ScopeSettings[]>;
  /**
   * Replaces `scope`'s settings with what `change` makes of the current ones, atomically across
   * processes (`change` may run more than once: it must be pure). Resolves to what was stored. An
   * empty result removes the scope.
   */
  update(scope: string, change: (current: ScopeSettings) => ScopeSettings): Promise<ScopeSettings>;
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
  readonly requests: RequestWindows;
  readonly settings: SettingsStore;
  readonly streaming: StreamingReplies;
  readonly locks: ChannelLocks;
  /** Resolves once the store has answered a trivial request (readiness); rejects if it cannot. */
  ping(): Promise<void>;
  /** Flushes and closes connections. */
  close(): Promise<void>;
}
