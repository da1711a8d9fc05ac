import type { Observation } from './percentiles.js';

// How figures print: whole numbers from 10 up, one decimal below, ">" for a lower bound.

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 10 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
}

export function formatObservation(observation: Observation): string {
  return `${observation.censored ? '>' : ''}${formatNumber(observation.value)}`;
}

/** ours/naive; a censored side turns the ratio into a bound. */
export function formatRatio(ours: Observation, naive: Observation): string {
  if (!Number.isFinite(ours.value) || !Number.isFinite(naive.value)) return 'n/a';
  if (naive.value === 0) return ours.value === 0 || naive.censored ? '-' : 'inf';
  const ratio = ours.value / naive.value;
  const text = ratio >= 10 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(1);
  if (ours.censored && naive.censored) return `?${text}`;
  if (naive.censored) return `<${text}`;
  return ours.censored ? `>${text}` : text;
}
