import { RESTEvents } from 'discord.js';
import type { APIRequest, REST, ResponseLike } from 'discord.js';
import type { EditBudgets } from '../../core/reply/edit-budget.js';

// Feeds Discord's rate-limit headers for message edits into the edit budgets, so a budget is what
// Discord says, not a guess. Channel message edits share one bucket per channel; an interaction's
// webhook requests (edits and follow-ups alike) share one bucket per interaction token.

const CHANNEL_MESSAGE_EDIT = /^\/channels\/(\d+)\/messages\/\d+$/;
const WEBHOOK_EDIT = /^\/webhooks\/\d+\/([^/]+)\/messages\/[^/]+$/;
const WEBHOOK_FOLLOW_UP = /^\/webhooks\/\d+\/([^/]+)$/;

/** The budget key of an interaction's webhook edits. */
export function webhookBudgetKey(token: string): string {
  return `webhook:${token}`;
}

function budgetKeyOf(request: APIRequest): string | undefined {
  const path = request.path.split('?')[0] ?? '';
  if (request.method === 'PATCH') {
    const channelId = CHANNEL_MESSAGE_EDIT.exec(path)?.[1];
    if (channelId !== undefined) return channelId;
  }
  const token = (request.method === 'PATCH' ? WEBHOOK_EDIT : WEBHOOK_FOLLOW_UP).exec(path)?.[1];
  return token === undefined || request.method === 'GET' ? undefined : webhookBudgetKey(token);
}

export function feedEditBudgets(rest: REST, budgets: EditBudgets): () => void {
  const listener = (request: APIRequest, response: ResponseLike) => {
    const key = budgetKeyOf(request);
    if (key === undefined) return;
    const headers = response.headers;
    if (response.status === 429) {
      const retryAfter = Number(headers.get('retry-after'));
      if (Number.isFinite(retryAfter)) budgets.rateLimited(key, retryAfter * 1000);
      return;
    }
    if (!headers.has('x-ratelimit-limit')) return;
    const limit = Number(headers.get('x-ratelimit-limit'));
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
    if (![limit, remaining, resetAfter].every(Number.isFinite)) return;
    budgets.observe(key, { limit, remaining, resetAfterMs: resetAfter * 1000 });
  };
  rest.on(RESTEvents.Response, listener);
  return () => rest.off(RESTEvents.Response, listener);
}
