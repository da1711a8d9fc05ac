import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createLatestWins } from '../../../../src/core/reply/latest-wins.js';
import type { LatestWinsOptions } from '../../../../src/core/reply/latest-wins.js';
import { view } from '../../../../src/core/reply/message-view.js';
import { GoneError, RateLimitedError } from '../../../../src/core/reply/platform-errors.js';
import { createWriteBudget } from '../../../../src/core/reply/write-budget.js';

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

const always: LatestWinsOptions['acquire'] = () => Promise.resolve(true);

function editor(message: ReturnType<typeof fakeMessage>, acquire: LatestWinsOptions['acquire']) {
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
    const { latest } = editor(message, always);
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
    const budget = createWriteBudget({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock });
    const { latest } = editor(message, (kind, signal) => budget.acquire(kind, signal));
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

  it('sends the final text as soon as the edit in flight lands, on the reserve rather than the pace', async () => {
    const message = fakeMessage(100);
    const budget = createWriteBudget({ limit: 2, windowMs: 10_000, reserve: 1, clock: systemClock });
    const { latest } = editor(message, (kind, signal) => budget.acquire(kind, signal));
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

  it("asks for an 'edit' slot before each intermediate edit and a 'final' slot before the last", async () => {
    const message = fakeMessage(10);
    const asked: string[] = [];
    let finalGranted: () => void = () => {};
    const { latest } = editor(message, (kind) => {
      asked.push(kind);
      return kind === 'edit' ? Promise.resolve(true) : new Promise((resolve) => (finalGranted = () => resolve(true)));
    });
    latest.update(view('a'));
    await vi.advanceTimersByTimeAsync(20);
    const finished = latest.finish(view('ab'));
    await vi.advanceTimersByTimeAsync(1000);
    // The final edit waits for its slot like any write.
    expect(message.sent.map((edit) => edit.text)).toEqual(['a']);
    finalGranted();
    await vi.advanceTimersByTimeAsync(20);
    await finished;
    expect(asked).toEqual(['edit', 'final']);
    expect(message.sent.map((edit) => edit.text)).toEqual(['a', 'ab']);
  });

  it('skips the final edit when the message already shows the text', async () => {
    const message = fakeMessage(10);
    const { latest } = editor(message, always);
    latest.update(view('done'));
    await vi.advanceTimersByTimeAsync(20);
    await latest.finish(view('done'));
    expect(message.sent.map((edit) => edit.text)).toEqual(['done']);
  });

  it('stops editing a message that was deleted', async () => {
    const message = fakeMessage(10);
    const { latest, errors } = editor(message, always);
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
      acquire: always,
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

  it('after a 429, sends the newest text at the next slot without waiting for another update', async () => {
    const budget = createWriteBudget({ limit: 100, windowMs: 1000, reserve: 1, clock: systemClock });
    const sent: { text: string; at: number }[] = [];
    let refuse = 1;
    const latest = createLatestWins({
      initial: view('…'),
      acquire: (kind, signal) => budget.acquire(kind, signal),
      isGone: () => false,
      onError: () => {},
      send: (next) => {
        if (refuse > 0) {
          refuse -= 1;
          // As the reply stream does with the platform's Retry-After.
          budget.blockFor(2000);
          return Promise.reject(new RateLimitedError('rate limited', { retryAfterMs: 2000 }));
        }
        sent.push({ text: next.content, at: Date.now() });
        return Promise.resolve();
      },
    });
    latest.update(view('a'));
    await vi.advanceTimersByTimeAsync(5000);
    // Not before the Retry-After, and with no later update to prompt it.
    expect(sent).toEqual([{ text: 'a', at: 2000 }]);
  });

  it('tries a final edit refused for rate limits again at its next slot', async () => {
    const sent: string[] = [];
    const acquired: string[] = [];
    let refuse = 2;
    const latest = createLatestWins({
      initial: view('…'),
      acquire: (kind) => {
        acquired.push(kind);
        return Promise.resolve(true);
      },
      isGone: () => false,
      onError: () => {},
      send: (next) => {
        if (refuse > 0) {
          refuse -= 1;
          return Promise.reject(new RateLimitedError('rate limited'));
        }
        sent.push(next.content);
        return Promise.resolve();
      },
    });
    await latest.finish(view('the end'));
    expect(sent).toEqual(['the end']);
    expect(acquired).toEqual(['final', 'final', 'final']);
    expect(latest.visible.content).toBe('the end');
  });
});
