// Medians and percentiles that carry censoring along: an answer the bench stopped waiting for has
// only a lower bound (e.g. "the final text took at least 20 s"), and a percentile that lands on one
// must say so.

export interface Observation {
  readonly value: number;
  /** The true value is at least `value`. */
  readonly censored: boolean;
}

export interface Spread {
  readonly median: Observation;
  readonly p95: Observation;
}

export const exact = (value: number): Observation => ({ value, censored: false });

/** Nearest-rank percentile, `fraction` in (0, 1]; NaN for no values. */
export function percentile(values: readonly Observation[], fraction: number): Observation {
  const sorted = [...values].sort((a, b) => a.value - b.value || Number(a.censored) - Number(b.censored));
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? exact(Number.NaN);
}

export function spread(values: readonly Observation[]): Spread {
  return { median: percentile(values, 0.5), p95: percentile(values, 0.95) };
}

export function spreadOf(values: readonly number[]): Spread {
  return spread(values.map(exact));
}
