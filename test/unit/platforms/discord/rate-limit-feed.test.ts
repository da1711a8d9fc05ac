import { InteractionResponseType, REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitObservation } from '../../../../src/core/reply/write-budget.js';
import type { WriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { channelBudgetKey, webhookBudgetKey } from '../../../../src/platforms/discord/rate-limit-buckets.js';
import { feedWriteBudgets } from '../../../../src/platforms/discord/rate-limit-feed.js';
import { startFakeDiscord } from '../../../fakes/fake-discord.js';
import type { FakeDiscord, FakeDiscordOptions } from '../../../fakes/fake-discord.js';

// The feed on discord.js's own REST client, against the loopback fake: the route data and headers are
// what discord.js really reports in its 'response' event, not a hand-made imitation of them.

type Fed = readonly ['observe', string, RateLimitObservation] | readonly ['rateLimited', string, number];

let fake: FakeDiscord;
let stopFeeding: () => void = () => {};

afterEach(async () => {
  stopFeeding();
  await fake.close();
});

async function setup(options: FakeDiscordOptions, rest: ConstructorParameters<typeof REST>[0] = {}) {
  fake = await startFakeDiscord(options);
  const client = new REST({ api: fake.apiUrl, ...rest }).setToken('test-token');
  const fed: Fed[] = [];
  const budgets: WriteBudgets = {
    for: () => {
      throw new Error('the feed only reports');
    },
    observe: (key, observation) => fed.push(['observe', key, observation]),
    rateLimited: (key, retryAfterMs) => fed.push(['rateLimited', key, retryAfterMs]),
  };
  stopFeeding = feedWriteBudgets(client, budgets);
  return { client, fed };
}

const body = (content: string) => ({ body: { content } });

describe('feedWriteBudgets', () => {
  it("feeds a channel's message creates and edits to one budget, with the window Discord reported", async () => {
    const { client, fed } = await setup({ buckets: { channelMessages: { limit: 5, windowMs: 5000 } } });
    const [first, second] = [fake.channelId(0), fake.channelId(1)];

    const posted = (await client.post(Routes.channelMessages(first), body('one'))) as { id: string };
    await client.patch(Routes.channelMessage(first, posted.id), body('one, edited'));
    await client.post(Routes.channelMessages(second), body('elsewhere'));
    // Neither a read nor a delete draws on the channel's budget.
    await client.get(Routes.channelMessage(first, posted.id));
    await client.delete(Routes.channelMessage(first, posted.id));

    expect(fed.map(([kind, key, value]) => [kind, key, typeof value === 'number' ? value : value.remaining])).toEqual([
      ['observe', channelBudgetKey(first), 4],
      ['observe', channelBudgetKey(first), 3],
      ['observe', channelBudgetKey(second), 4],
    ]);
    for (const [, , observation] of fed) {
      if (typeof observation === 'number') throw new Error('no 429 expected');
      expect(observation.limit).toBe(5);
      // Seconds with milliseconds in the header, ms here: within the 5 s window that opened.
      expect(observation.resetAfterMs).toBeGreaterThan(4000);
      expect(observation.resetAfterMs).toBeLessThanOrEqual(5000);
    }
  });

  it('blocks the bucket for Retry-After when Discord answers 429', async () => {
    // discord.js knows nothing of the edit route's bucket yet, so it sends the edit into a spent window.
    const { client, fed } = await setup(
      { buckets: { channelMessages: { limit: 1, windowMs: 60_000 } } },
      { rejectOnRateLimit: () => true },
    );
    const channel = fake.channelId(0);
    const posted = (await client.post(Routes.channelMessages(channel), body('one'))) as { id: string };

    await expect(client.patch(Routes.channelMessage(channel, posted.id), body('two'))).rejects.toThrow();

    expect(fed.at(-1)).toEqual(['rateLimited', channelBudgetKey(channel), 60_000]);
    expect(fake.rateLimitCount).toBe(1);
  });

  it("feeds an interaction's webhook requests to the budget of its token, and not the callback", async () => {
    const { client, fed } = await setup({ buckets: { interactionWebhook: { limit: 5, windowMs: 2000 } } });
    const interaction = fake.runCommand({ name: 'ask' });
    const webhook = { auth: false } as const;

    await client.post(Routes.interactionCallback(interaction.id, interaction.token), {
      ...webhook,
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource },
    });
    await client.patch(Routes.webhookMessage(fake.applicationId, interaction.token), { ...webhook, ...body('first') });
    const followUp = (await client.post(Routes.webhook(fake.applicationId, interaction.token), {
      ...webhook,
      ...body('second'),
    })) as { id: string };
    await client.delete(Routes.webhookMessage(fake.applicationId, interaction.token, followUp.id), webhook);

    const key = webhookBudgetKey(interaction.token);
    expect(
      fed.map(([kind, fedKey, value]) => [kind, fedKey, typeof value === 'number' ? value : value.remaining]),
    ).toEqual([
      ['observe', key, 4],
      ['observe', key, 3],
      ['observe', key, 2],
    ]);
  });

  it('stops feeding when told to', async () => {
    const { client, fed } = await setup({});
    stopFeeding();
    await client.post(Routes.channelMessages(fake.channelId(0)), body('unheard'));
    expect(fed).toEqual([]);
  });
});
