import { answerMetrics } from './answer-metrics.js';
import { loadWithin } from './load-figures.js';
import type { BotRunStats } from './bot-protocol.js';
import type { RunRecord } from './fakes-protocol.js';
import { spread, spreadOf } from './percentiles.js';
import type { Spread } from './percentiles.js';
import type { BotVariant } from './settings.js';

// One bot's run boiled down to the figures the tables print.

export interface VariantRun {
  readonly variant: BotVariant;
  readonly record: RunRecord;
  readonly bot: BotRunStats;
}

export interface VariantSummary {
  readonly variant: BotVariant;
  readonly answers: number;
  /** Answers whose whole text was still not visible when the run stopped waiting. */
  readonly givenUp: number;
  readonly overheadMs: Spread;
  readonly firstShowMs: Spread;
  readonly stalenessMs: Spread;
  readonly finalLagMs: Spread;
  readonly edits: Spread;
  readonly restCalls: Spread;
  readonly rateLimitedPerAnswer: Spread;
  /** 429s over the whole run, attributed to an answer or not. */
  readonly rateLimited: number;
  readonly cpuMsPer1000Deltas: number;
  /** CPU over wall time: 1 is one core busy all along. */
  readonly cpuShare: number;
  readonly peakRssMb: number;
  readonly startRssMb: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  /** Sanity of the harness: the model's TTFT and delta rate as delivered, the fakes' own load. */
  readonly modelTtftMs: number;
  readonly deliveredPerSecond: number;
  readonly fakesCpuShare: number;
  readonly fakesEventLoopP99Ms: number;
}

/**
 * CPU and event loop count while the waves stream (first question → last message_stop + `tailMs`, for
 * the final edits): a bot still working off a backlog afterwards does not dilute them.
 */
export function summarize(run: VariantRun, tailMs: number): VariantSummary {
  const metrics = run.record.answers.map(answerMetrics);
  const deltas = metrics.reduce((sum, answer) => sum + answer.deltas, 0);
  const { record } = run;
  const streaming = record.waves.map((wave) => ({ startMs: wave.startMs, endMs: wave.endMs + tailMs }));
  const bot = loadWithin(run.bot, streaming);
  const fakes = loadWithin(record.fakes, streaming);
  return {
    variant: run.variant,
    answers: metrics.length,
    givenUp: metrics.filter((answer) => answer.finalLagMs.censored).length,
    overheadMs: spread(metrics.map((answer) => answer.overheadMs)),
    firstShowMs: spread(metrics.map((answer) => answer.firstShowMs)),
    stalenessMs: spreadOf(metrics.flatMap((answer) => answer.stalenessMs)),
    finalLagMs: spread(metrics.map((answer) => answer.finalLagMs)),
    edits: spread(metrics.map((answer) => answer.edits)),
    restCalls: spread(metrics.map((answer) => answer.restCalls)),
    rateLimitedPerAnswer: spreadOf(metrics.map((answer) => answer.rateLimited)),
    rateLimited: record.rateLimited,
    cpuMsPer1000Deltas: deltas > 0 ? (bot.cpuMs * 1000) / deltas : Number.NaN,
    cpuShare: bot.cpuMs / bot.wallMs,
    peakRssMb: run.bot.peakRssMb,
    startRssMb: run.bot.startRssMb,
    eventLoopP99Ms: bot.eventLoopP99Ms,
    eventLoopMaxMs: bot.eventLoopMaxMs,
    modelTtftMs: spreadOf(metrics.map((answer) => answer.modelTtftMs)).median.value,
    deliveredPerSecond: spreadOf(metrics.map((answer) => answer.deliveredPerSecond)).median.value,
    fakesCpuShare: fakes.cpuMs / fakes.wallMs,
    fakesEventLoopP99Ms: fakes.eventLoopP99Ms,
  };
}
