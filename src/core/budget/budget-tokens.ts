import type { TokenCounts } from '../ports/storage.js';

// What a budget counts: every token as Claude reports it, each at its price relative to an input
// token (Anthropic's pricing): writing the prompt cache costs 1.25×, reading it 0.1×. So a budget
// tracks what an answer really costs, and a long cached conversation is not charged ten times over.

const CACHE_WRITE_WEIGHT = 1.25;
const CACHE_READ_WEIGHT = 0.1;

export function budgetTokens(counts: TokenCounts): number {
  const weighted =
    counts.input + counts.output + counts.cacheCreation * CACHE_WRITE_WEIGHT + counts.cacheRead * CACHE_READ_WEIGHT;
  return Math.ceil(weighted);
}

/** The share of input tokens read from the cache (0 when nothing was read). */
export function cacheReadShare(counts: TokenCounts): number {
  const input = counts.input + counts.cacheRead + counts.cacheCreation;
  return input === 0 ? 0 : counts.cacheRead / input;
}
