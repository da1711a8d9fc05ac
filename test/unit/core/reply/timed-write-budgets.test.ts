import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { timedWriteBudgets } from '../../../../src/core/reply/timed-write-budgets.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';

// Both readings on Date, which the fake timers move.
const clock: Clock = { now: () => Date.now(), elapsed: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function timed() {
  const granted: [WriteKind, number][] = [];
  const budgets = timedWriteBudgets(createWriteBudgets({ limit: 2, windowMs: 1000, reserve: 1, clock }), {
    clock,
    telemetry: { slotGranted: (kind, waitedMs) => granted.push([kind, waitedMs]) },
  });
  return { budgets, granted };
}

describe('timedWriteBudgets', () => {
  it('tells how long each granted write waited for its slot, by kind', async () => {
    const { budgets, granted } = timed();
    const channel = budgets.for('channel-1');
    await channel.acquire('post');
    const second = channel.acquire('edit');
    const third = channel.acquire('final');
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([second, third]);

    // One slot left for finals after the post: the final goes at once, the edit after the window.
    expect(granted).toEqual([
      ['post', 0],
      ['final', 0],
      ['edit', 1000],
    ]);
  });

  it('tells nothing of a wait given up: nothing was written', async () => {
    const { budgets, granted } = timed();
    const channel = budgets.for('channel-1');
    await channel.acquire('post');
    await channel.acquire('final');
    const giveUp = new AbortController();
    const waiting = channel.acquire('edit', giveUp.signal);
    await vi.advanceTimersByTimeAsync(300);
    giveUp.abort();

    expect(await waiting).toBe(false);
    expect(granted.map(([kind]) => kind)).toEqual(['post', 'final']);
  });

  it('passes what the platform says on to the budgets it times', async () => {
    const { budgets, granted } = timed();
    budgets.rateLimited('channel-1', 2000);
    const write = budgets.for('channel-1').acquire('post');
    await vi.advanceTimersByTimeAsync(2000);
    await write;
    expect(granted).toEqual([['post', 2000]]);
  });
});
