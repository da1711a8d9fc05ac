import { RESTEvents } from 'discord.js';
import type { APIRequest, RateLimitData, REST, ResponseLike } from 'discord.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { budgetKeyOf } from './rate-limit-buckets.js';

// Feeds Discord's rate-limit headers into the write budgets, so a budget is what Discord says, not a
// guess: every response of a bucket we budget (a channel's creates and edits alike, an interaction's
// webhook requests) tells how much of its window is left, and a 429 how long to stay away. A 429 for
// the global limit, whatever request met it, holds every write that counts against that limit; so
// does discord.js holding its requests for its own count of the global limit, or what we grant in the
// meantime would pile up behind it and go out all at once.

export function feedWriteBudgets(rest: REST, budgets: WriteBudgets): () => void {
  const onResponse = (request: APIRequest, response: ResponseLike) => {
    const header = (name: string) => numberOrUndefined(response.headers.get(name));
    if (response.status === 429 && isGlobal(response)) {
      const retryAfter = header('retry-after');
      if (retryAfter !== undefined) budgets.rateLimitedGlobally(retryAfter * 1000);
      return;
    }
    const key = budgetKeyOf(request);
    if (key === undefined) return;
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
  const onRateLimited = (info: RateLimitData) => {
    if (info.global) budgets.rateLimitedGlobally(info.timeToReset);
  };
  rest.on(RESTEvents.Response, onResponse);
  rest.on(RESTEvents.RateLimited, onRateLimited);
  return () => {
    rest.off(RESTEvents.Response, onResponse);
    rest.off(RESTEvents.RateLimited, onRateLimited);
  };
}

// Discord marks a global 429 with X-RateLimit-Global (what discord.js checks) and, lately, its scope.
function isGlobal(response: ResponseLike): boolean {
  return response.headers.has('x-ratelimit-global') || response.headers.get('x-ratelimit-scope') === 'global';
}

function numberOrUndefined(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
