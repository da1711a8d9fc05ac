import type { TokenCounts, UsageStore } from '../core/ports/storage.js';
import { NO_TOKENS, addTokenCounts } from './token-counts.js';

// Token counters in this process's memory; an add is atomic because it never awaits.

export function createMemoryUsage(): UsageStore {
  const counters = new Map<string, TokenCounts>();
  return {
    add(key, tokens) {
      const totals = addTokenCounts(counters.get(key) ?? NO_TOKENS, tokens);
      counters.set(key, totals);
      return Promise.resolve(totals);
    },
    get: (key) => Promise.resolve(counters.get(key) ?? NO_TOKENS),
  };
}
