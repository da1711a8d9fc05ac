import type { BucketSettings, StreamSettings } from './settings.js';

// Everything a bench run can vary, with the realistic defaults, the --quick preset and the tiny one
// the test uses so the bench cannot rot.

/** What `--scenario all` runs. */
export const SCENARIOS = ['one', 'twenty', 'shared', 'scale', 'ack', 'cache', 'status'] as const;
/** Minutes long: run only when named. */
export const LONG_SCENARIOS = ['soak'] as const;
export type ScenarioName = (typeof SCENARIOS)[number] | (typeof LONG_SCENARIOS)[number];

export interface BenchConfig {
  readonly discord: {
    readonly latencyMs: number;
    readonly channelBucket: BucketSettings;
    readonly globalPerSecond: number;
  };
  readonly stream: StreamSettings;
  /** After a wave's last message_stop, how long to wait for answers not yet complete (the naive backlog). */
  readonly settleCapMs: number;
  /** Answers one after another in one channel. */
  readonly oneAnswers: number;
  /** Channels asked at once, one answer each. */
  readonly manyChannels: number;
  /** Answers asked at once in one channel. */
  readonly sharedAnswers: number;
  readonly scale: {
    /** Concurrent streams tried, ascending; the naive bot runs at the last one. */
    readonly levels: readonly number[];
    /** Past the last level, keep growing by half while ours still meets its targets, up to this. */
    readonly maxStreams: number;
    /** Extra runs halving the gap between the last level within targets and the first that missed. */
    readonly refineSteps: number;
    /** The global limit for the scale runs (fake and discord.js alike). */
    readonly globalPerSecond: number;
    /**
     * The questions arrive evenly over this long rather than in one millisecond, so that the load is
     * N streams running at once (from then until the first answer ends), not one start-up spike.
     */
    readonly spreadMs: number;
  };
  /** /ask commands timed for the acknowledgement. */
  readonly asks: number;
  /** Turns of the conversation whose prompt-cache share is counted (bench/conversation-cache.ts). */
  readonly cacheTurns: number;
  /** The soak: channels answering one question after another, with random faults, for minutes. */
  readonly soak: SoakSettings;
  /** What the status line costs (bench/status-line-cost.ts): answers of each kind, thinking and search time. */
  readonly status: { readonly answers: number; readonly thinkingMs: number; readonly searchMs: number };
  readonly scenarios: readonly ScenarioName[];
  /** Node flags for the bot processes, e.g. ['--cpu-prof', '--cpu-prof-dir=prof'] to see their hot paths. */
  readonly botExecArgv: readonly string[];
}

export interface SoakSettings {
  readonly minutes: number;
  /** Channels, each with one question in flight at a time. */
  readonly channels: number;
  /** The chance of each of the four faults per question. */
  readonly faultChance: number;
  /** How often the bot's memory is sampled, ms. */
  readonly sampleMs: number;
  readonly seed: number;
}

/** What the scale scenario aims for, per process. */
export const SCALE_TARGETS = { eventLoopP99Ms: 20, peakRssMb: 300 } as const;

export const DEFAULT_CONFIG: BenchConfig = {
  discord: {
    latencyMs: 50,
    channelBucket: { limit: 5, windowMs: 5000 },
    globalPerSecond: 50,
  },
  // ~100 tokens/s at ~4 characters a token; 1500 characters is 375 deltas, 3.75 s.
  stream: { ttftMs: 500, deltaMs: 10, chunkChars: 4, answerChars: 1500 },
  settleCapMs: 15_000,
  oneAnswers: 3,
  manyChannels: 20,
  sharedAnswers: 5,
  scale: { levels: scaleLevels(1000), maxStreams: 2000, refineSteps: 2, globalPerSecond: 100_000, spreadMs: 1000 },
  asks: 50,
  cacheTurns: 10,
  soak: { minutes: 10, channels: 50, faultChance: 0.05, sampleMs: 5000, seed: 1 },
  status: { answers: 3, thinkingMs: 5000, searchMs: 2000 },
  scenarios: SCENARIOS,
  botExecArgv: [],
};

export const QUICK_CONFIG: BenchConfig = {
  ...DEFAULT_CONFIG,
  stream: { ...DEFAULT_CONFIG.stream, ttftMs: 300, answerChars: 600 },
  settleCapMs: 5000,
  oneAnswers: 2,
  scale: { ...DEFAULT_CONFIG.scale, levels: scaleLevels(250), maxStreams: 250, refineSteps: 1 },
  asks: 10,
  soak: { ...DEFAULT_CONFIG.soak, minutes: 2 },
};

/** Seconds instead of minutes: for the test that keeps the bench runnable, not for numbers. */
export const TINY_CONFIG: BenchConfig = {
  discord: {
    latencyMs: 5,
    channelBucket: { limit: 5, windowMs: 400 },
    globalPerSecond: 50,
  },
  stream: { ttftMs: 20, deltaMs: 2, chunkChars: 4, answerChars: 80 },
  settleCapMs: 300,
  oneAnswers: 2,
  manyChannels: 2,
  sharedAnswers: 2,
  scale: { levels: [2, 3], maxStreams: 3, refineSteps: 0, globalPerSecond: 1000, spreadMs: 10 },
  asks: 2,
  cacheTurns: 2,
  soak: { minutes: 0.05, channels: 4, faultChance: 0.15, sampleMs: 250, seed: 1 },
  status: { answers: 1, thinkingMs: 300, searchMs: 100 },
  scenarios: SCENARIOS,
  botExecArgv: [],
};

/** An eighth, a quarter, half and all of `streams`. */
export function scaleLevels(streams: number): number[] {
  const levels = [streams / 8, streams / 4, streams / 2, streams].map((level) => Math.max(1, Math.round(level)));
  return [...new Set(levels)];
}

/** Text deltas per answer. */
export function deltasPerAnswer(stream: StreamSettings): number {
  return Math.ceil(stream.answerChars / stream.chunkChars);
}
