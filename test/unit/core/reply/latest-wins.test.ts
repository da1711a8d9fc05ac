import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createEditBudgets } from '../../../../src/core/reply/edit-budget.js';
import { createLatestWins } from '../../../../src/core/reply/latest-wins.js';
import { view } from '../../../../src/core/reply/message-view.js';
import { GoneError } from '../../../../src/core/reply/platform-errors.js';

// A fake message whose edits take `latencyMs` of (fake) time, recording what it was sent and when.
function fakeMessage(latencyMs: number) {
  const sent: { text: string; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let gone = false;
  return {
    sent,
    get maxInFlight() {
      return maxInFlight;
    },
    delete() {
      gone = true;
    },
    async send(text: string) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      inFlight -= 1;
      if (gone) throw new GoneError('Unknown Message');
      sent.push({ text, at: Date.now() });
    },
  };
}

function editor(message: ReturnType<typeof fakeMessage>, acquire: () => Promise<void>) {
  const errors: unknown[] = [];
  const latest = createLatestWins({
    initial: view('…'),
    send: (next) => message.send(next.content),
    acquire,
    isGone: (error) => error instanceof GoneError,
    onError: (error) => errors.push(error),
  });
  return { latest, errors };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createLatestWins', () => {
  it('sends only the newest text, one edit at a time', async () => {
    const message = fakeMessage(100);
    const { latest } = editor(message, () => Promise.resolve());
    latest.update(view('a'));
    latest.update(view('ab'));
    latest.update(view('abc'));
    await vi.advanceTimersByTimeAsync(50);
    latest.update(view('abcd'));
    latest.update(view('abcde'));
    await vi.advanceTimersByTimeAsync(1000);
    // 'a', 'ab' and 'abc' arrived before the first edit left: only the newest went.
    expect(message.sent.map((edit) => edit.text)).toEqual(['abc', 'abcde']);
    expect(message.maxInFlight).toBe(1);
    expect(latest.edits).toBe(2);
  });

  it('coalesces a burst of updates into few paced edits', async () => {
    const message = fakeMessage(50);
    const budgets = createEditBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    const { latest } = editor(message, () => budgets.for('c').acquire());
    let text = '';
    for (let delta = 0; delta < 300; delta += 1) {
      text += 'x';
      latest.update(view(text));
      await vi.advanceTimersByTimeAsync(10); // 100 deltas a second for 3 s
    }
    const finished = latest.finish(view(text));
    await vi.advanceTimersByTimeAsync(100);
    await finished;
    // Intermediate edits one per 1250 ms (4 of 5 slots per 5 s window), then the final one.
    expect(message.sent.length).toBeLessThanOrEqual(5);
    expect(message.sent.at(-1)?.text).toBe(text);
    const gaps = message.sent.slice(1, -1).map((edit, index) => edit.at - (message.sent[index]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1250);
  });

  it('sends the final text as soon as the edit in flight lands, without waiting for the budget', async () => {
    const message = fakeMessage(100);
    const budgets = createEditBudgets({ limit: 2, windowMs: 10_000, reserve: 1, clock: systemClock });
    const { latest } = editor(message, () => budgets.for('c').acquire());
    latest.update(view('one'));
    await vi.advanceTimersByTimeAsync(20);
    latest.update(view('one two')); // waits ~10 s for the next paced slot
    const finished = latest.finish(view('one two three'));
    await vi.advanceTimersByTimeAsync(300);
    await finished;
    expect(message.sent.map((edit) => edit.text)).toEqual(['one', 'one two three']);
    // The in-flight edit landed at 100 ms; the final one 100 ms later.
    expect(message.sent[1]?.at).toBe(200);
  });

  it('skips the final edit when the message already shows the text', async () => {
    const message = fakeMessage(10);
    const { latest } = editor(message, () => Promise.resolve());
    latest.update(view('done'));
    await vi.advanceTimersByTimeAsync(20);
    await latest.finish(view('done'));
    expect(message.sent.map((edit) => edit.text)).toEqual(['done']);
  });

  it('stops editing a message that was deleted', async () => {
    const message = fakeMessage(10);
    const { latest, errors } = editor(message, () => Promise.resolve());
    latest.update(view('a'));
    await vi.advanceTimersByTimeAsync(20);
    message.delete();
    latest.update(view('ab'));
    await vi.advanceTimersByTimeAsync(20);
    latest.update(view('abc'));
    await latest.finish(view('abcd'));
    expect(latest.gone).toBe(true);
    expect(message.sent.map((edit) => edit.text)).toEqual(['a']);
    expect(errors).toEqual([]);
  });

  it('reports a failed intermediate edit and tries again with the next update', async () => {
    let failNext = true;
    const sent: string[] = [];
    const errors: unknown[] = [];
    const latest = createLatestWins({
      initial: view('…'),
      acquire: () => Promise.resolve(),
      isGone: () => false,
      onError: (error) => errors.push(error),
      send: (next) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('503'));
        }
        sent.push(next.content);
        return Promise.resolve();
      },
    });
    latest.update(view('a'));
    await vi.advanceTimersByTimeAsync(0);
    await latest.finish(view('ab'));
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['ab']);
  });
});

describe('createEditBudgets', () => {
  it('paces intermediate edits evenly, keeping a slot of each window for final edits', async () => {
    const budgets = createEditBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    const budget = budgets.for('c');
    const times: number[] = [];
    const all = Promise.all([0, 1, 2, 3].map(() => budget.acquire().then(() => times.push(Date.now()))));
    await vi.advanceTimersByTimeAsync(5000);
    await all;
    // 4 of the 5 slots of a 5 s window, evenly spread; the fifth is left for final edits.
    expect(times).toEqual([0, 1250, 2500, 3750]);
  });

  it('takes the limit and window from the headers', async () => {
    const budgets = createEditBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    budgets.observe('c', { limit: 3, remaining: 2, resetAfterMs: 1000 }); // 2 paced slots a second
    const times: number[] = [];
    const budget = budgets.for('c');
    const all = Promise.all([0, 1, 2].map(() => budget.acquire().then(() => times.push(Date.now()))));
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    expect(times).toEqual([0, 500, 1000]);
  });

  it('waits for the reset when the headers say only the reserve is left', async () => {
    const budgets = createEditBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    budgets.observe('c', { limit: 5, remaining: 1, resetAfterMs: 3000 });
    let acquiredAt = -1;
    const acquired = budgets
      .for('c')
      .acquire()
      .then(() => (acquiredAt = Date.now()));
    await vi.advanceTimersByTimeAsync(3000);
    await acquired;
    expect(acquiredAt).toBe(3000);
  });

  it('backs off for Retry-After after a 429', async () => {
    const budgets = createEditBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    budgets.rateLimited('c', 2500);
    let acquiredAt = -1;
    const acquired = budgets
      .for('c')
      .acquire()
      .then(() => (acquiredAt = Date.now()));
    await vi.advanceTimersByTimeAsync(2500);
    await acquired;
    expect(acquiredAt).toBe(2500);
  });

  it('shares one budget between all messages of a channel, not between channels', async () => {
    const budgets = createEditBudgets({ limit: 2, windowMs: 1000, reserve: 1, clock: systemClock });
    const times: Record<string, number[]> = { a1: [], a2: [], b: [] };
    const take = (channel: string, key: string) =>
      budgets
        .for(channel)
        .acquire()
        .then(() => times[key]?.push(Date.now()));
    const all = Promise.all([take('a', 'a1'), take('a', 'a2'), take('b', 'b')]);
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    expect(times).toEqual({ a1: [0], a2: [1000], b: [0] });
  });

  it('passes the slot of a wait that was given up to the next waiter', async () => {
    const budget = createEditBudgets({ limit: 2, windowMs: 1000, reserve: 1, clock: systemClock }).for('c'); // a slot a second
    await budget.acquire();
    const givingUp = new AbortController();
    const abandoned = budget.acquire(givingUp.signal);
    await vi.advanceTimersByTimeAsync(100);
    givingUp.abort();
    await abandoned;
    await vi.advanceTimersByTimeAsync(100);
    let grantedAt = -1;
    const next = budget.acquire().then(() => (grantedAt = Date.now()));
    await vi.advanceTimersByTimeAsync(2000);
    await next;
    // The slot the abandoned wait had reserved (at 1000 ms), not one after it.
    expect(grantedAt).toBe(1000);
  });
});
