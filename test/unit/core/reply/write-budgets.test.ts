import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createGlobalPacer } from '../../../../src/core/reply/global-pacer.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';

const budgets = (limit = 2, windowMs = 1000) => createWriteBudgets({ limit, windowMs, reserve: 1, clock: systemClock });

/** Buckets of 5 per 5 s under a global pace of 10 a second; buckets named `webhook:…` are exempt from it. */
const paced = () =>
  createWriteBudgets(
    { limit: 5, windowMs: 5000, reserve: 1, clock: systemClock },
    {
      pacer: createGlobalPacer({ perSecond: 10, headroom: 0, clock: systemClock }),
      counts: (key) => !key.startsWith('webhook:'),
    },
  );

/** Asks `key`'s budget for a slot of `kind`; records when it was granted under `label`. */
function take(writes: ReturnType<typeof budgets>, times: Record<string, number>) {
  return (key: string, kind: WriteKind, label = `${key} ${kind}`) =>
    writes
      .for(key)
      .acquire(kind)
      .then(() => (times[label] = Date.now()));
}

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

  it("keeps the writes of all channels together within the global pace, each channel's within its own budget", async () => {
    const writes = paced();
    const times: Record<string, number> = {};
    const ask = take(writes, times);
    const all = Promise.all(
      ['a', 'b', 'c', 'd'].flatMap((key) => [1, 2, 3].map((index) => ask(key, 'post', `${key} post ${index}`))),
    );
    await vi.advanceTimersByTimeAsync(2000);
    await all;
    // Twelve posts, three in each channel (its budget has room for four): ten a second, and the two
    // that had to wait a tenth of a second apart.
    const sorted = Object.values(times).sort((x, y) => x - y);
    expect(sorted).toEqual([...Array<number>(10).fill(0), 1000, 1100]);
  });

  it('lets a final edit of one channel pass the intermediate edits of every other channel', async () => {
    const writes = paced();
    const times: Record<string, number> = {};
    const ask = take(writes, times);
    // Posts in ten other channels fill the second; the edits of six channels wait.
    const filled = Promise.all(Array.from({ length: 10 }, (_, index) => ask(`busy ${index}`, 'post')));
    const edits = ['a', 'b', 'c', 'd'].map((key) => ask(key, 'edit'));
    await vi.advanceTimersByTimeAsync(150);
    const later = [ask('g', 'post'), ask('h', 'final')];
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([filled, ...edits, ...later]);
    // Waiting writes go one every 100 ms (a tenth of a second at this pace).
    expect(times).toMatchObject({
      'h final': 1000,
      'g post': 1100,
      'a edit': 1200,
      'b edit': 1300,
      'c edit': 1400,
      'd edit': 1500,
    });
  });

  it("takes no global turn for a bucket the platform exempts (an interaction's webhook)", async () => {
    const writes = paced();
    const times: Record<string, number> = {};
    const ask = take(writes, times);
    const filled = Promise.all(Array.from({ length: 10 }, (_, index) => ask(`busy ${index}`, 'post')));
    const all = Promise.all([ask('c', 'post'), ask('webhook:x', 'post'), ask('webhook:x', 'final')]);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([filled, all]);
    expect(times).toMatchObject({ 'c post': 1000, 'webhook:x post': 0, 'webhook:x final': 0 });
  });

  it('holds every globally counted bucket after a global 429, and no exempt one', async () => {
    const writes = paced();
    writes.rateLimitedGlobally(2000);
    const times: Record<string, number> = {};
    const ask = take(writes, times);
    const all = Promise.all([ask('a', 'final'), ask('webhook:x', 'final'), ask('b', 'post')]);
    await vi.advanceTimersByTimeAsync(3000);
    await all;
    expect(times).toEqual({ 'a final': 2000, 'webhook:x final': 0, 'b post': 2100 });
  });
});
