// Where everything lives in Redis, under one prefix so that several bots (or test runs) share a server.

export interface RedisKeys {
  /** A list of JSON exchanges `{id, question, answer}`, oldest first; expires when idle. */
  conversation(channelId: string): string;
  /** A hash of counters: input, output, cacheRead, cacheCreation. */
  usage(key: string): string;
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
    streaming: `${prefix}streaming`,
    lock: (channelId) => `${prefix}lock:${channelId}`,
    lockReleased: `${prefix}lock-released`,
  };
}
