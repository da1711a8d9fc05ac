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

type Fed =
  | readonly ['observe', string, RateLimitObservation]
  | readonly ['rateLimited', string, number]
  | readonly ['rateLimitedGlobally', 'all', number];

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
    rateLimitedGlobally: (retryAfterMs) => fed.push(['rateLimitedGlobally', 'all', retryAfterMs]),
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

  it('holds every globally counted write for Retry-After when Discord answers 429 for its global limit', async () => {
    const { client, fed } = await setup({ globalLimitPerSecond: 1 }, { rejectOnRateLimit: () => true });
    const [first, second] = [fake.channelId(0), fake.channelId(1)];
    await client.post(Routes.channelMessages(first), body('one'));

    // discord.js counts 50 a second itself, so the second request goes out and meets the fake's limit.
    await expect(client.post(Routes.channelMessages(second), body('two'))).rejects.toThrow();

    // Retry-After is whole seconds; the channel's own bucket is not blamed.
    expect(fed.map(([kind, key]) => [kind, key])).toEqual([
      ['observe', channelBudgetKey(first)],
      ['rateLimitedGlobally', 'all'],
    ]);
    expect(fed.at(-1)?.[2]).toBe(1000);
    expect(fake.rateLimitCount).toBe(1);
  });

  it('holds every globally counted write while discord.js holds its requests for its own global count', async () => {
    const { client, fed } = await setup(
      { globalLimitPerSecond: 50 },
      { globalRequestsPerSecond: 1, rejectOnRateLimit: () => true },
    );
    await client.post(Routes.channelMessages(fake.channelId(0)), body('one'));

    // discord.js refuses to send the second in the same second, and says so before rejecting it.
    await expect(client.post(Routes.channelMessages(fake.channelId(1)), body('two'))).rejects.toThrow();

    const [kind, , heldMs] = fed.at(-1) ?? [];
    expect(kind).toBe('rateLimitedGlobally');
    expect(heldMs).toBeGreaterThan(0);
    // What is left of its 1 s window, plus the 50 ms offset discord.js adds to every wait.
    expect(heldMs).toBeLessThanOrEqual(1050);
    expect(fake.rateLimitCount).toBe(0);
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
