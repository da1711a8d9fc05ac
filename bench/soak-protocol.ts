// The soak: many channels answering for minutes with faults thrown in, watched for memory that
// keeps growing and for answers that end wrong. What the parent, the fakes process and the bot
// process tell each other about it.

export const SOAK_FAULTS = [
  'overloaded mid-stream',
  '529 before the stream',
  'reply deleted',
  'Discord 500 on an edit',
] as const;
export type SoakFault = (typeof SOAK_FAULTS)[number];
/** What a question meets: a fault, or none. */
export type SoakCase = SoakFault | 'none';

export interface SoakPlan {
  readonly channels: number;
  /** Questions are asked this long; those still answering then are waited for. */
  readonly durationMs: number;
  /** The chance of each fault per question. */
  readonly faultChance: number;
  /** Seeds the faults' dice, so a run can be repeated. */
  readonly seed: number;
  /** A reply that shows no end this long after its question is lost. */
  readonly answerTimeoutMs: number;
}

/** An answer that ended wrong, or never ended. */
export interface SoakMiss {
  readonly tag: number;
  readonly fault: SoakCase;
  readonly expected: string;
  /** What the reply showed last. */
  readonly shown: string;
}

export interface SoakRecord {
  readonly asked: number;
  readonly cases: Readonly<Record<SoakCase, number>>;
  /** Replies that ended showing exactly the whole answer, or the expected notice (or were deleted and stopped). */
  readonly right: number;
  /** Replies that ended showing something else. */
  readonly wrong: number;
  /** Replies that showed no end within the timeout. */
  readonly lost: number;
  /** The first few wrong or lost answers. */
  readonly misses: readonly SoakMiss[];
  readonly rateLimited: number;
  /** The 429s by route and scope, e.g. "PATCH /channels/:id/messages/:id (user)". */
  readonly rateLimitedBy: Readonly<Record<string, number>>;
  /** 500s the fake Discord answered on purpose. */
  readonly injected500s: number;
}

export interface RssSample {
  /** Since sampling started, ms. */
  readonly atMs: number;
  readonly rssMb: number;
  /** V8 heap in use, after a full collection when the process allows it (--expose-gc). */
  readonly heapMb: number;
}

export interface SoakBotStats {
  readonly samples: readonly RssSample[];
  /** Answers the bot saw to their end, by outcome. */
  readonly answered: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** Since the process started. */
  readonly unhandledRejections: number;
}
