import { describe, expect, it } from 'vitest';
import { budgetTokens, cacheReadShare } from '../../../../src/core/budget/budget-tokens.js';

const counts = (input: number, output: number, cacheRead: number, cacheCreation: number) => ({
  input,
  output,
  cacheRead,
  cacheCreation,
});

describe('budgetTokens', () => {
  it('counts input and output at face value, cache writes at 1.25× and cache reads at 0.1×', () => {
    expect(budgetTokens(counts(100, 50, 0, 0))).toBe(150);
    expect(budgetTokens(counts(0, 0, 0, 400))).toBe(500);
    expect(budgetTokens(counts(0, 0, 10_000, 0))).toBe(1_000);
    expect(budgetTokens(counts(100, 50, 10_000, 400))).toBe(100 + 50 + 1_000 + 500);
  });

  it('rounds a fraction up, so a few cache reads never count as nothing', () => {
    expect(budgetTokens(counts(0, 0, 1, 0))).toBe(1);
    expect(budgetTokens(counts(0, 0, 0, 1))).toBe(2);
    expect(budgetTokens(counts(0, 0, 0, 0))).toBe(0);
  });
});

describe('cacheReadShare', () => {
  it('is the share of all input tokens that was read from the cache', () => {
    expect(cacheReadShare(counts(100, 999, 300, 100))).toBe(0.6);
    expect(cacheReadShare(counts(100, 0, 0, 0))).toBe(0);
  });

  it('is 0, not NaN, when nothing was read at all', () => {
    expect(cacheReadShare(counts(0, 500, 0, 0))).toBe(0);
  });
});
