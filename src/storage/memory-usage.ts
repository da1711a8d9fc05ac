import type { Ranked, TokenCounts, UsageStore } from '../core/ports/storage.js';
import { NO_TOKENS, addTokenCounts } from './token-counts.js';

// Token counters and rankings in this process's memory; every change is atomic because it never awaits.

export function createMemoryUsage(): UsageStore {
  const counters = new Map<string, TokenCounts>();
  const rankings = new Map<string, Map<string, number>>();
  return {
    add(key, tokens) {
      const totals = addTokenCounts(counters.get(key) ?? NO_TOKENS, tokens);
      counters.set(key, totals);
      return Promise.resolve(totals);
    },
    get: (key) => Promise.resolve(counters.get(key) ?? NO_TOKENS),
    getMany: (keys) => Promise.resolve(keys.map((key) => counters.get(key) ?? NO_TOKENS)),
    rank(ranking, member, amount) {
      const scores = rankings.get(ranking) ?? new Map<string, number>();
      scores.set(member, (scores.get(member) ?? 0) + amount);
      rankings.set(ranking, scores);
      return Promise.resolve();
    },
    top(ranking, limit) {
      const scores = [...(rankings.get(ranking) ?? new Map<string, number>())];
      const ranked: Ranked[] = scores.map(([member, score]) => ({ member, score }));
      return Promise.resolve(ranked.sort((a, b) => b.score - a.score).slice(0, Math.max(0, limit)));
    },
  };
}
