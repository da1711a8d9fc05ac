import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createGlobalPacer } from '../../../../src/core/reply/global-pacer.js';
import type { GlobalPacer } from '../../../../src/core/reply/global-pacer.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';

// Discord's 50 requests/s, a fifth of it left for requests that do not ask the pacer: 40/s, one every 25 ms.
const pacer = (perSecond = 50, headroom = 0.2) => createGlobalPacer({ perSecond, headroom, clock: systemClock });

/** Asks for a turn for each label (its kind is the label's first letter); records when each was granted. */
function request(turns: GlobalPacer, labels: readonly string[], granted: [string, number][] = []) {
  const kinds: Record<string, WriteKind> = { f: 'final', p: 'post', e: 'edit' };
  const all = labels.map((label) =>
    turns.acquire(kinds[label[0] ?? 'e'] ?? 'edit').then(() => granted.push([label, Date.now()])),
  );
  return { granted, done: Promise.all(all) };
}

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
  it('spaces a crowd of writes evenly, so that no 1-second window holds more than its pace', async () => {
    const turns = pacer();
    const granted: [string, number][] = [];
    // A crowd at once, then more arriving in bursts at odd moments while it is still draining.
    const waves = [
      request(
        turns,
        Array.from({ length: 120 }, (_, index) => `e${index}`),
        granted,
      ),
    ];
    for (const at of [333, 1717, 2901]) {
      await vi.advanceTimersByTimeAsync(at - Date.now());
      waves.push(request(turns, ['f', 'p', 'p', 'e', 'e', 'e', 'f'], granted));
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(waves.map((wave) => wave.done));

    const times = granted.map(([, at]) => at);
    expect(times).toHaveLength(141);
    expect(busiestSecond(times)).toBe(40);
    // The pace is kept, not exceeded: 141 turns 25 ms apart, the first at once.
    expect(times.at(-1)).toBe(140 * 25);
  });

  it('keeps the spacing when the pace is not a whole number of milliseconds', async () => {
    const turns = pacer(48, 0);
    const { granted, done } = request(
      turns,
      Array.from({ length: 200 }, (_, index) => `p${index}`),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    const times = granted.map(([, at]) => at);
    expect(busiestSecond(times)).toBeLessThanOrEqual(48);
    expect(times.slice(1).every((time, index) => time - (times[index] ?? 0) >= 1000 / 48)).toBe(true);
  });

  it('keeps up with a pace of more than one a millisecond (a raised limit)', async () => {
    const turns = pacer(100_000, 0);
    const { granted, done } = request(
      turns,
      Array.from({ length: 500 }, (_, index) => `p${index}`),
    );
    await vi.advanceTimersByTimeAsync(10);
    await done;
    const times = granted.map(([, at]) => at);
    // 100 a millisecond: 500 in 5 ms, never more than 100 in one.
    expect(times.at(-1)).toBeLessThanOrEqual(5);
    expect(Math.max(...times.map((at) => times.filter((time) => time === at).length))).toBeLessThanOrEqual(100);
  });

  it('grants finals first, then posts, then intermediate edits, whatever channel they come from', async () => {
    const turns = pacer();
    const { granted, done } = request(turns, ['e1', 'e2', 'e3', 'e4', 'p1', 'f1', 'p2', 'f2']);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    // The first edit found the pacer idle; every later turn goes by kind, in order of asking within a kind.
    expect(granted).toEqual([
      ['e1', 0],
      ['f1', 25],
      ['f2', 50],
      ['p1', 75],
      ['p2', 100],
      ['e2', 125],
      ['e3', 150],
      ['e4', 175],
    ]);
  });

  it('grants nothing while blocked by a global 429, then resumes at its pace', async () => {
    const turns = pacer();
    await turns.acquire('post');
    turns.blockFor(1000);
    const { granted, done } = request(turns, ['f1', 'p1', 'e1']);
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
    await turns.acquire('edit');
    const stale = new AbortController();
    const given = turns.acquire('edit', stale.signal);
    const next = request(turns, ['e2']);
    stale.abort();
    expect(await given).toBe(false);
    await vi.advanceTimersByTimeAsync(25);
    await next.done;
    expect(next.granted).toEqual([['e2', 25]]);
  });

  it('refuses a pace that is not positive', () => {
    expect(() => pacer(50, 1)).toThrow(RangeError);
  });
});
