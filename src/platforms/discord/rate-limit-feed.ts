import { RESTEvents } from 'discord.js';
import type { APIRequest, REST, ResponseLike } from 'discord.js';
import type { EditBudgets } from '../../core/edit-budget.js';

// Feeds Discord's rate-limit headers for message edits into the per-channel edit budgets, so the
// budget is what Discord says, not a guess.

const MESSAGE_EDIT = /^\/channels\/(\d+)\/messages\/\d+$/;

export function feedEditBudgets(rest: REST, budgets: EditBudgets): () => void {
  const listener = (request: APIRequest, response: ResponseLike) => {
    const channelId = request.method === 'PATCH' ? MESSAGE_EDIT.exec(request.path)?.[1] : undefined;
    if (channelId === undefined) return;
    const headers = response.headers;
    if (response.status === 429) {
      const retryAfter = Number(headers.get('retry-after'));
      if (Number.isFinite(retryAfter)) budgets.rateLimited(channelId, retryAfter * 1000);
      return;
    }
    const limit = Number(headers.get('x-ratelimit-limit'));
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
    if (![limit, remaining, resetAfter].every(Number.isFinite) || !headers.has('x-ratelimit-limit')) return;
    budgets.observe(channelId, { limit, remaining, resetAfterMs: resetAfter * 1000 });
  };
  rest.on(RESTEvents.Response, listener);
  return () => rest.off(RESTEvents.Response, listener);
}
