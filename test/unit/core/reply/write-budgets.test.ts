import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';

const budgets = (limit = 2, windowMs = 1000) => createWriteBudgets({ limit, windowMs, reserve: 1, clock: systemClock });

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWriteBudgets', () => {
  it('shares one budget between all writes to a bucket, not between buckets', async () => {
    const writes = budgets();
    const times: Record<string, number> = {};
    const take = (key: string, kind: WriteKind, label: string) =>
      writes
        .for(key)
        .acquire(kind)
        .then(() => (times[label] = Date.now()));
    // A placeholder and an edit of another answer in channel a; a placeholder in channel b.
    const all = Promise.all([take('a', 'post', 'a post'), take('a', 'edit', 'a edit'), take('b', 'post', 'b post')]);
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    expect(times).toEqual({ 'a post': 0, 'a edit': 1000, 'b post': 0 });
  });

  it("feeds headers and 429s to that bucket's budget only", async () => {
    const writes = budgets(5, 5000);
    writes.observe('a', { limit: 5, remaining: 0, resetAfterMs: 3000 });
    writes.rateLimited('b', 2000);
    const times: Record<string, number> = {};
    const all = Promise.all(
      ['a', 'b', 'c'].map((key) =>
        writes
          .for(key)
          .acquire('final')
          .then(() => (times[key] = Date.now())),
      ),
    );
    await vi.advanceTimersByTimeAsync(3000);
    await all;
    expect(times).toEqual({ a: 3000, b: 2000, c: 0 });
  });

  it('forgets the least recently used buckets past 10 000', async () => {
    const writes = budgets();
    writes.rateLimited('old', 60_000);
    writes.rateLimited('recent', 60_000);
    for (let index = 0; index < 9_999; index += 1) writes.for(`channel ${index}`);
    writes.for('recent');
    writes.for('one more');
    // 'old' was forgotten with its block; 'recent' was used since, and kept.
    expect(await writes.for('old').acquire('final')).toBe(true);
    let recentAt = -1;
    const recent = writes
      .for('recent')
      .acquire('final')
      .then(() => (recentAt = Date.now()));
    await vi.advanceTimersByTimeAsync(60_000);
    await recent;
    expect(recentAt).toBe(60_000);
  });
});
