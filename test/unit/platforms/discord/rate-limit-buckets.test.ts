import { describe, expect, it } from 'vitest';
import {
  budgetKeyOf,
  channelBudgetKey,
  countsGlobally,
  webhookBudgetKey,
} from '../../../../src/platforms/discord/rate-limit-buckets.js';

// Which budget a request draws on, and which budgets count against Discord's global limit.

const CHANNEL = '200000000000000001';
const TOKEN = 'aW50ZXJhY3Rpb246dG9rZW4';

describe('rate-limit buckets', () => {
  it("count a channel's writes against the global limit, and not an interaction's webhook requests", () => {
    expect(countsGlobally(channelBudgetKey(CHANNEL))).toBe(true);
    expect(countsGlobally(webhookBudgetKey(TOKEN))).toBe(false);
  });

  it('find the budget of a request by its route', () => {
    const request = (method: string, path: `/${string}`, route: string) => budgetKeyOf({ method, path, route });
    expect(request('POST', `/channels/${CHANNEL}/messages`, '/channels/:id/messages')).toBe(channelBudgetKey(CHANNEL));
    expect(request('PATCH', `/channels/${CHANNEL}/messages/3`, '/channels/:id/messages/:id')).toBe(
      channelBudgetKey(CHANNEL),
    );
    expect(request('DELETE', `/channels/${CHANNEL}/messages/3`, '/channels/:id/messages/:id')).toBeUndefined();
    expect(request('PATCH', `/webhooks/1/${TOKEN}/messages/@original`, '/webhooks/:id/:token/messages/:id')).toBe(
      webhookBudgetKey(TOKEN),
    );
  });
});
