// Where everything lives in Redis, under one prefix so that several bots (or test runs) share a server.

export interface RedisKeys {
  /** A list of JSON exchanges `{id, question, answer}`, oldest first; expires when idle. */
  conversation(channelId: string): string;
  /**
   * A hash of counters: input, output, cacheRead, cacheCreation. Usage keys are daily (the key
   * carries the day, e.g. "user:1:2026-12-01"), so each expires some weeks after its last write.
   */
  usage(key: string): string;
  /** A sorted set: member → score. Daily like usage keys, and expiring the same way. */
  ranking(ranking: string): string;
  /** A string: the requests counted in the window of `key` that starts at `windowStart` (epoch ms); expires with it. */
  requestWindow(key: string, windowStart: number): string;
  /** A string: the scope's settings as JSON; never expires. */
  settings(scope: string): string;
  /** A hash: answer id → JSON streaming reply. */
  readonly streaming: string;
  /** A string: the holder's token, with the lease as its expiry. */
  lock(channelId: string): string;
  /** The pub/sub channel on which a release announces the freed channel's id. */
  readonly lockReleased: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    conversation: (channelId) => `${prefix}conversation:${channelId}`,
    usage: (key) => `${prefix}usage:${key}`,
    ranking: (ranking) => `${prefix}ranking:${ranking}`,
    requestWindow: (key, windowStart) => `${prefix}requests:${key}:${windowStart}`,
    settings: (scope) => `${prefix}settings:${scope}`,
    streaming: `${prefix}streaming`,
    lock: (channelId) => `${prefix}lock:${channelId}`,
    lockReleased: `${prefix}lock-released`,
  };
}
