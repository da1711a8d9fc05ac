import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError, TransientError } from '../../../../src/core/reply/platform-errors.js';
import type { WriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { pacedPost, retryRateLimited, slackClientOptions } from '../../../../src/platforms/slack/slack-rate-limits.js';
import { workspaceBudgetKey } from '../../../../src/platforms/slack/slack-thread.js';

function heldBudgets() {
  const held: [string, number][] = [];
  const slots: string[] = [];
  const budgets: WriteBudgets = {
    for: (key) => ({
      acquire: (kind) => (slots.push(`${key} ${kind}`), Promise.resolve(true)),
      observe() {},
      blockFor() {},
    }),
    observe() {},
    rateLimited: (key, ms) => void held.push([key, ms]),
    rateLimitedGlobally() {},
  };
  return { budgets, held, slots };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Slack rate limits', () => {
  it('leave 429s to the bot and retry network failures only briefly', () => {
    const options = slackClientOptions('http://127.0.0.1/api/');
    expect(options.rejectRateLimitedCalls).toBe(true);
    expect(options.retryConfig?.retries).toBeLessThanOrEqual(3);
  });

  it('post an answer again after a 429, holding the workspace’s budget for the Retry-After', async () => {
    const { budgets, held, slots } = heldBudgets();
    let refuse = 2;
    const posted = await pacedPost(budgets, 'T1', () => {
      if (refuse-- > 0) return Promise.reject(new RateLimitedError('rate limited', { retryAfterMs: 2000 }));
      return Promise.resolve('posted');
    });
    expect(posted).toBe('posted');
    expect(held).toEqual([
      [workspaceBudgetKey('T1'), 2000],
      [workspaceBudgetKey('T1'), 2000],
    ]);
    // Each try waits for a post slot of its own.
    expect(slots).toEqual(Array.from({ length: 3 }, () => `${workspaceBudgetKey('T1')} post`));
  });

  it('give up on a post after a few 429s, and never retry other failures', async () => {
    const { budgets } = heldBudgets();
    let tries = 0;
    const always429 = () => {
      tries += 1;
      return Promise.reject(new RateLimitedError('rate limited', { retryAfterMs: 1000 }));
    };
    await expect(pacedPost(budgets, 'T1', always429)).rejects.toBeInstanceOf(RateLimitedError);
    expect(tries).toBe(5);
    tries = 0;
    const broken = () => {
      tries += 1;
      return Promise.reject(new TransientError('internal_error'));
    };
    await expect(pacedPost(budgets, 'T1', broken)).rejects.toBeInstanceOf(TransientError);
    expect(tries).toBe(1);
  });

  it('wait out a short Retry-After for calls outside an answer, then try again', async () => {
    const at: number[] = [];
    const call = retryRateLimited(() => {
      at.push(Date.now());
      return at.length === 1 ? Promise.reject(new webApi.WebAPIRateLimitedError(2)) : Promise.resolve('ok');
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(await call).toBe('ok');
    expect(at).toEqual([0, 2000]);
  });

  it('do not wait out a Retry-After longer than half a minute', async () => {
    const call = retryRateLimited(() => Promise.reject(new webApi.WebAPIRateLimitedError(60)));
    await expect(call).rejects.toBeInstanceOf(webApi.WebAPIRateLimitedError);
  });
});
