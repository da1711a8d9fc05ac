import { RESTEvents } from 'discord.js';
import type { APIRequest, REST, ResponseLike } from 'discord.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { budgetKeyOf } from './rate-limit-buckets.js';

// Feeds Discord's rate-limit headers into the write budgets, so a budget is what Discord says, not a
// guess: every response of a bucket we budget (a channel's creates and edits alike, an interaction's
// webhook requests) tells how much of its window is left, and a 429 how long to stay away.

export function feedWriteBudgets(rest: REST, budgets: WriteBudgets): () => void {
  const listener = (request: APIRequest, response: ResponseLike) => {
    const key = budgetKeyOf(request);
    if (key === undefined) return;
    const header = (name: string) => numberOrUndefined(response.headers.get(name));
    if (response.status === 429) {
      const retryAfter = header('retry-after');
      if (retryAfter !== undefined) budgets.rateLimited(key, retryAfter * 1000);
      return;
    }
    const limit = header('x-ratelimit-limit');
    const remaining = header('x-ratelimit-remaining');
    const resetAfter = header('x-ratelimit-reset-after');
    if (limit === undefined || remaining === undefined || resetAfter === undefined) return;
    budgets.observe(key, { limit, remaining, resetAfterMs: resetAfter * 1000 });
  };
  rest.on(RESTEvents.Response, listener);
  return () => rest.off(RESTEvents.Response, listener);
}

function numberOrUndefined(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
