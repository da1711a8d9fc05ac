import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createSlackWriteBudgets } from '../../../../src/platforms/slack/slack-write-budgets.js';
import { streamBudgetKey, workspaceBudgetKey } from '../../../../src/platforms/slack/slack-thread.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** When each of `count` intermediate edits of `key` is granted, in ms. */
async function editTimes(budgets: ReturnType<typeof createSlackWriteBudgets>, key: string, count: number) {
  const times: number[] = [];
  const all = Promise.all(
    Array.from({ length: count }, () =>
      budgets
        .for(key)
        .acquire('edit')
        .then(() => times.push(Date.now())),
    ),
  );
  await vi.advanceTimersByTimeAsync(60_000);
  await all;
  return times;
}

describe('createSlackWriteBudgets', () => {
  it('paces a workspace’s streams under appendStream’s tier, twice as often as its updates', async () => {
    const budgets = createSlackWriteBudgets(systemClock);
    const streams = await editTimes(budgets, streamBudgetKey('T1'), 4);
    const updates = await editTimes(createSlackWriteBudgets(systemClock), workspaceBudgetKey('T1'), 4);
    // Edits are spread evenly over the minute: 100 slots (one kept for ends) against 50.
    expect(streams[3]! - streams[2]!).toBeLessThan(updates[3]! - updates[2]!);
    expect((updates[3]! - updates[2]!) / (streams[3]! - streams[2]!)).toBeCloseTo(2, 0);
  });

  it('keeps a 429 to the budget it came from', async () => {
    const budgets = createSlackWriteBudgets(systemClock);
    budgets.rateLimited(workspaceBudgetKey('T1'), 30_000);
    let streamed: number | undefined;
    let posted: number | undefined;
    const stream = budgets
      .for(streamBudgetKey('T1'))
      .acquire('post')
      .then(() => (streamed = Date.now()));
    const post = budgets
      .for(workspaceBudgetKey('T1'))
      .acquire('post')
      .then(() => (posted = Date.now()));
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all([stream, post]);
    expect(streamed).toBe(0);
    expect(posted).toBeGreaterThanOrEqual(30_000);
  });
});
