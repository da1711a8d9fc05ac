import type { TokenCounts } from '../ports/storage.js';

// What a budget counts: every token as Claude reports it, each at its price relative to an input
// token (Anthropic's pricing): writing the prompt cache costs 1.25×, reading it 0.1×. So a budget
// tracks what an answer really costs, and a long cached conversation is not charged ten times over.

// Reckoned in twentieths of a token, so that weights are whole numbers and add up exactly: the
// rankings, which add each answer's weight as it ends, agree with the totals of the counters.
const UNITS_PER_TOKEN = 20;
const CACHE_WRITE_UNITS = 25; // 1.25 tokens
const CACHE_READ_UNITS = 2; // 0.1 tokens

/** What `counts` weigh in budget units (twentieths of a budget token): an integer. */
export function budgetUnits(counts: TokenCounts): number {
  return (
    (counts.input + counts.output) * UNITS_PER_TOKEN +
    counts.cacheCreation * CACHE_WRITE_UNITS +
    counts.cacheRead * CACHE_READ_UNITS
  );
}

/** Budget units as whole budget tokens, rounded up. */
export const unitsToTokens = (units: number): number => Math.ceil(units / UNITS_PER_TOKEN);

export function budgetTokens(counts: TokenCounts): number {
  return unitsToTokens(budgetUnits(counts));
}

/** The share of input tokens read from the cache (0 when nothing was read). */
export function cacheReadShare(counts: TokenCounts): number {
  const input = counts.input + counts.cacheRead + counts.cacheCreation;
  return input === 0 ? 0 : counts.cacheRead / input;
}
