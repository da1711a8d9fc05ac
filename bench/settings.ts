// The knobs of one benchmark run, shared by the parent and both kinds of child process.

export interface BucketSettings {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface DiscordSettings {
  /**
   * The REST round trip. The fake applies a request (and tells gateway clients) as it arrives and
   * writes the response this long after: what the bot sends is visible at once, and the bot hears
   * back one round trip later.
   */
  readonly latencyMs: number;
  /** Per channel: message creates and edits together, in one bucket as on Discord. */
  readonly channelBucket: BucketSettings;
  /** Requests per second across all routes, on the fake and in discord.js' own pacer alike. */
  readonly globalPerSecond: number;
  readonly channels: number;
}

export interface StreamSettings {
  /** The model's time to first token: from the request to the first text delta. */
  readonly ttftMs: number;
  /** Between text deltas. */
  readonly deltaMs: number;
  /** Characters per text delta (about 4 per token). */
  readonly chunkChars: number;
  /** Length of every answer; below Discord's 2000 so one message shows it, for both bots alike. */
  readonly answerChars: number;
}

export type BotVariant = 'ours' | 'ours-no-reserve' | 'naive';
