import type { APIRequest } from 'discord.js';

// Which write budget a Discord REST request draws on. Discord counts a channel's message creates and
// edits in one bucket (both routes report the same X-RateLimit-Bucket, and discord.js then queues them
// together under the channel, their major parameter), and every request through an interaction's
// webhook in one bucket per token. Message deletes have a bucket of their own and reads are not
// writes, so neither draws on a channel's budget.

const WEBHOOK_PREFIX = 'webhook:';

/** The budget of a channel's message creates and edits. */
export function channelBudgetKey(channelId: string): string {
  return channelId;
}

/** The budget of an interaction's webhook requests (edits, follow-ups, deletions). */
export function webhookBudgetKey(token: string): string {
  return `${WEBHOOK_PREFIX}${token}`;
}

/**
 * Whether a budget's writes count against Discord's global limit (50 requests/s per bot): a channel's
 * do; an interaction's webhook requests are exempt, as Discord exempts interaction endpoints.
 */
export function countsGlobally(key: string): boolean {
  return !key.startsWith(WEBHOOK_PREFIX);
}

// discord.js's bucket routes: ids become :id, a webhook token :token.
const CHANNEL_WRITES = new Set(['POST /channels/:id/messages', 'PATCH /channels/:id/messages/:id']);
const WEBHOOK_ROUTE = '/webhooks/:id/:token';

/** The budget key of a request as discord.js reports it in its 'response' event, if it has one. */
export function budgetKeyOf(request: Pick<APIRequest, 'method' | 'path' | 'route'>): string | undefined {
  const segments = request.path.split('?')[0]?.split('/') ?? [];
  if (CHANNEL_WRITES.has(`${request.method.toUpperCase()} ${request.route}`)) {
    const channelId = segments[2];
    return channelId ? channelBudgetKey(channelId) : undefined;
  }
  if (request.route === WEBHOOK_ROUTE || request.route.startsWith(`${WEBHOOK_ROUTE}/`)) {
    const token = segments[3];
    return token ? webhookBudgetKey(token) : undefined;
  }
  return undefined;
}
