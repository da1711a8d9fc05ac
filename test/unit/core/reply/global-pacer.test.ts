import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createGlobalPacer } from '../../../../src/core/reply/global-pacer.js';
import type { GlobalPacer } from '../../../../src/core/reply/global-pacer.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';

// Discord's 50 requests/s, a fifth of it left for requests that do not ask the pacer: 40 a second;
// writes that have to wait go one every 25 ms.
const pacer = (perSecond = 50, headroom = 0.2) => createGlobalPacer({ perSecond, headroom, clock: systemClock });

/** Asks for a turn for each label (its kind is the label's first letter); records when each was granted. */
function request(turns: GlobalPacer, labels: readonly string[], granted: [string, number][] = []) {
  const kinds: Record<string, WriteKind> = { f: 'final', p: 'post', e: 'edit' };
  const all = labels.map((label) =>
    turns.acquire(kinds[label[0] ?? 'e'] ?? 'edit').then(() => granted.push([label, Date.now()])),
  );
  return { granted, done: Promise.all(all) };
}

const labels = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

/** The most grants in any 1-second window [t, t + 1000), wherever it starts. */
function busiestSecond(times: readonly number[]): number {
  return Math.max(...times.map((start) => times.filter((time) => time >= start && time < start + 1000).length));
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createGlobalPacer', () => {
  it('never lets more than its pace into any 1-second window, wherever the window starts', async () => {
    const turns = pacer();
    const granted: [string, number][] = [];
    // A crowd of edits, then bursts of every kind at odd moments while it drains.
    const waves = [request(turns, labels('e', 120), granted)];
    for (const at of [333, 1717, 2901, 3050]) {
      await vi.advanceTimersByTimeAsync(at - Date.now());
      waves.push(request(turns, ['f', 'p', 'p', 'e', 'p', 'p', 'p', 'p', 'f', 'p', 'p', 'p', 'p'], granted));
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(waves.map((wave) => wave.done));

    const times = granted.map(([, at]) => at);
    expect(times).toHaveLength(172);
    expect(busiestSecond(times)).toBe(40);
  });

  it('lets every write go at once while the last second has room', async () => {
    const turns = pacer();
    const { granted, done } = request(turns, [...labels('p', 20), 'e0', 'e1', 'e2', 'f0']);
    await done;
    expect(granted).toHaveLength(24);
    expect(granted.every(([, at]) => at === 0)).toBe(true);
  });

  it('sends the writes that had to wait at an even pace, not in a burst every second', async () => {
    const turns = pacer(48, 0);
    const { granted, done } = request(turns, labels('e', 200));
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    const times = granted.map(([, at]) => at);
    expect(busiestSecond(times)).toBe(48);
    // The first 48 found room; the rest waited, and went 1000 / 48 ms apart from then on.
    expect(times.slice(0, 48).every((at) => at === 0)).toBe(true);
    const waited = times.slice(48);
    expect(waited[0]).toBe(1000);
    expect(waited.slice(1).every((time, index) => time - (waited[index] ?? 0) >= 1000 / 48)).toBe(true);
  });

  it('keeps up with a pace of more than one a millisecond (a raised limit)', async () => {
    const turns = pacer(100_000, 0);
    turns.blockFor(10);
    const { granted, done } = request(turns, labels('e', 500));
    await vi.advanceTimersByTimeAsync(20);
    await done;
    const times = granted.map(([, at]) => at);
    // Waiting until 10 ms, then 100 a millisecond: 500 by 15 ms, never more than 100 in one.
    expect(times[0]).toBe(10);
    expect(times.at(-1)).toBeLessThanOrEqual(15);
    expect(Math.max(...times.map((at) => times.filter((time) => time === at).length))).toBeLessThanOrEqual(100);
  });

  it('lets the writes that wait go by kind, whatever channel they come from: finals, posts, then edits', async () => {
    const turns = pacer();
    // A second's worth of posts fills the window; then everyone waits for it to move on.
    await request(turns, labels('post', 40)).done;
    const { granted, done } = request(turns, ['e1', 'e2', 'e3', 'p1', 'f1', 'p2', 'f2']);
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    expect(granted).toEqual([
      ['f1', 1000],
      ['f2', 1025],
      ['p1', 1050],
      ['p2', 1075],
      ['e1', 1100],
      ['e2', 1125],
      ['e3', 1150],
    ]);
  });

  it('grants nothing while blocked by a global 429, then resumes', async () => {
    const turns = pacer();
    await turns.acquire('post');
    turns.blockFor(1000);
    const { granted, done } = request(turns, ['e1', 'p1', 'f1']);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(granted).toEqual([
      ['f1', 1000],
      ['p1', 1025],
      ['e1', 1050],
    ]);
  });

  it('passes the turn on when a wait is given up', async () => {
    const turns = pacer();
    turns.blockFor(100);
    const stale = new AbortController();
    const given = turns.acquire('edit', stale.signal);
    const next = request(turns, ['e2']);
    stale.abort();
    expect(await given).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await next.done;
    expect(next.granted).toEqual([['e2', 100]]);
  });

  it('paces a share under one a second as one write per longer window', async () => {
    // 50 a second among 100 shard processes: one write every 2 s here.
    const turns = pacer(0.5, 0);
    const { granted, done } = request(turns, ['p0', 'p1', 'p2']);
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    expect(granted.map(([, at]) => at)).toEqual([0, 2000, 4000]);
  });

  it('refuses a pace that is not positive', () => {
    expect(() => pacer(50, 1)).toThrow(RangeError);
  });
});
