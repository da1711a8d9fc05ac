import { answerMetrics } from './answer-metrics.js';
import { turnStarts } from './answer-turns.js';
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
  /** Mention → the answer's turn in its channel: queueing behind the answers asked before it. */
  readonly turnWaitMs: Spread;
  /** From the turn's start, not the mention. */
  readonly overheadMs: Spread;
  /** Mention → the reply's first message visible. */
  readonly placeholderMs: Spread;
  readonly firstShowMs: Spread;
  readonly stalenessMs: Spread;
  readonly finalLagMs: Spread;
  readonly edits: Spread;
  readonly restCalls: Spread;
  readonly rateLimitedPerAnswer: Spread;
  /** 429s over the whole run, attributed to an answer or not. */
  readonly rateLimited: number;
  /** Writes the fake applied for the answers (placeholders and edits), and first → last of them, ms. */
  readonly writes: number;
  readonly writeSpanMs: number;
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
  const turns = turnStarts(run.record.answers);
  const metrics = run.record.answers.map((answer, index) => answerMetrics(answer, turns[index] ?? answer.mentionAt));
  const deltas = metrics.reduce((sum, answer) => sum + answer.deltas, 0);
  const { record } = run;
  const streaming = record.waves.map((wave) => ({ startMs: wave.startMs, endMs: wave.endMs + tailMs }));
  const bot = loadWithin(run.bot, streaming);
  const fakes = loadWithin(record.fakes, streaming);
  return {
    variant: run.variant,
    answers: metrics.length,
    givenUp: metrics.filter((answer) => answer.finalLagMs.censored).length,
    turnWaitMs: spreadOf(metrics.map((answer) => answer.turnWaitMs)),
    overheadMs: spread(metrics.map((answer) => answer.overheadMs)),
    placeholderMs: spread(metrics.map((answer) => answer.placeholderMs)),
    firstShowMs: spread(metrics.map((answer) => answer.firstShowMs)),
    stalenessMs: spreadOf(metrics.flatMap((answer) => answer.stalenessMs)),
    finalLagMs: spread(metrics.map((answer) => answer.finalLagMs)),
    edits: spread(metrics.map((answer) => answer.edits)),
    restCalls: spread(metrics.map((answer) => answer.restCalls)),
    rateLimitedPerAnswer: spreadOf(metrics.map((answer) => answer.rateLimited)),
    rateLimited: record.rateLimited,
    ...appliedWrites(record),
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

function appliedWrites(record: RunRecord): { writes: number; writeSpanMs: number } {
  const times = record.answers.flatMap((answer) => answer.writes.filter((w) => w.status === 200).map((w) => w.at));
  if (times.length === 0) return { writes: 0, writeSpanMs: 0 };
  return { writes: times.length, writeSpanMs: Math.max(...times) - Math.min(...times) };
}
