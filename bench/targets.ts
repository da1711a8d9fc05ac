import { SCALE_TARGETS } from './bench-config.js';
import type { VariantSummary } from './variant-summary.js';

// The targets for our bot, checked against a run.

export interface TargetCheck {
  readonly label: string;
  /** For narrow columns. */
  readonly short: string;
  readonly actual: number;
  readonly limit: number;
  readonly met: boolean;
}

const check = (label: string, short: string, actual: number, limit: number): TargetCheck => ({
  label,
  short,
  actual,
  limit,
  met: actual <= limit,
});

/** One REST round trip + 30 ms to first text, + 50 ms to the final text (p95), and no 429. */
export function answerTargets(summary: VariantSummary, roundTripMs: number): TargetCheck[] {
  return [
    check('overhead to first text p95, ms', 'overhead', summary.overheadMs.p95.value, roundTripMs + 30),
    ...endTargets(summary, roundTripMs),
  ];
}

/**
 * The knee's criteria, per process: event-loop delay and memory, and answers that still end on time
 * without a 429. (Overhead to first text is printed but left out: at scale it measures how fast N
 * questions arriving together get their placeholders, not what N running streams cost.)
 */
export function scaleTargets(summary: VariantSummary, roundTripMs: number): TargetCheck[] {
  return [
    check('event-loop delay p99, ms', 'loop', summary.eventLoopP99Ms, SCALE_TARGETS.eventLoopP99Ms),
    check('peak RSS, MB', 'RSS', summary.peakRssMb, SCALE_TARGETS.peakRssMb),
    ...endTargets(summary, roundTripMs),
  ];
}

function endTargets(summary: VariantSummary, roundTripMs: number): TargetCheck[] {
  const finalLag = summary.finalLagMs.p95;
  return [
    check(
      'message_stop → whole answer p95, ms',
      'final lag',
      finalLag.censored ? Infinity : finalLag.value,
      roundTripMs + 50,
    ),
    check('429s', '429s', summary.rateLimited, 0),
  ];
}
