import type { LoadTrace } from './process-probe.js';
import type { SoakBotStats } from './soak-protocol.js';
import type { BotVariant, BucketSettings } from './settings.js';

// What the parent asks of a bot process: start one bot, measure it over a run, stop.

export interface BotStart {
  readonly variant: BotVariant;
  readonly apiUrl: string;
  readonly anthropicUrl: string;
  readonly globalPerSecond: number;
  /** The naive bot's p-throttle mirrors the channel's bucket. */
  readonly channelBucket: BucketSettings;
  /** Settings for ours on top of the bench's (environment names, as in .env). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface BotRunStats extends LoadTrace {
  /** Answers the bot itself saw through to their final edit. */
  readonly answered: number;
}

export type BotProtocol = {
  start: { payload: BotStart; result: null };
  /** Resolves once the bot has finished `count` answers since it started, or after `timeoutMs`. */
  answered: { payload: { readonly count: number; readonly timeoutMs: number }; result: number };
  /** Starts measuring, and counting answers afresh. */
  measureStart: { payload: null; result: null };
  /** Waits (at most `timeoutMs`) until `answers` answers are done, then reports the stretch. */
  measureStop: { payload: { readonly answers: number; readonly timeoutMs: number }; result: BotRunStats };
  /** Starts sampling memory every `sampleMs`. */
  soakStart: { payload: { readonly sampleMs: number }; result: null };
  /** Stops sampling: the samples, the answers seen, the unhandled rejections. */
  soakStop: { payload: null; result: SoakBotStats };
  stop: { payload: null; result: null };
};
