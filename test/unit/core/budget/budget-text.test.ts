import { describe, expect, it } from 'vitest';
import { budgetRefusalText, formatCount, timeUntil } from '../../../../src/core/budget/budget-text.js';

const NOW = Date.UTC(2026, 10, 24, 18, 48);
const MIDNIGHT = Date.UTC(2026, 10, 25);

describe('timeUntil', () => {
  it('says seconds under a minute, rounding up', () => {
    expect(timeUntil(NOW + 42_000, NOW)).toBe('in 42 s');
    expect(timeUntil(NOW + 42_001, NOW)).toBe('in 43 s');
  });

  it('says minutes under an hour, then hours and minutes', () => {
    expect(timeUntil(NOW + 60_000, NOW)).toBe('in 1 min');
    expect(timeUntil(NOW + 61_000, NOW)).toBe('in 2 min');
    expect(timeUntil(NOW + 3_600_000, NOW)).toBe('in 1 h');
    expect(timeUntil(MIDNIGHT, NOW)).toBe('in 5 h 12 min');
  });

  it('never says “in 0 s”, even for a moment already past', () => {
    expect(timeUntil(NOW, NOW)).toBe('in 1 s');
    expect(timeUntil(NOW - 5_000, NOW)).toBe('in 1 s');
  });
});

describe('budgetRefusalText', () => {
  it('tells whose daily budget is used, how much of it, and when it resets', () => {
    const refusal = { limit: 100_000, used: 100_250, resetsAt: MIDNIGHT };
    expect(budgetRefusalText({ kind: 'user', ...refusal }, NOW)).toBe(
      '⏳ You have used today’s budget: 100,250 of 100,000 tokens. It resets at midnight UTC, in 5 h 12 min.',
    );
    expect(budgetRefusalText({ kind: 'channel', ...refusal }, NOW)).toMatch(/^⏳ This channel has used/);
    expect(budgetRefusalText({ kind: 'guild', ...refusal }, NOW)).toMatch(/^⏳ This server has used/);
  });

  it('tells a person over the rate how many questions a minute they may ask, and when to ask again', () => {
    const text = budgetRefusalText({ kind: 'rate', limit: 5, used: 5, resetsAt: NOW + 17_000 }, NOW);
    expect(text).toBe('⏳ You’ve asked 5 questions this minute, the most allowed (5 a minute). Ask again in 17 s.');
  });

  it('writes counts as whole numbers with thousands separators', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(2.5)).toBe('3');
  });
});
