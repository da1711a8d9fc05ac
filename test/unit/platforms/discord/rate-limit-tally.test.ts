import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { tallyRateLimits } from '../../../../src/platforms/discord/rate-limit-tally.js';
import type { RateLimitTallies } from '../../../../src/platforms/discord/rate-limit-tally.js';
import { startFakeDiscord } from '../../../fakes/fake-discord.js';
import type { FakeDiscord } from '../../../fakes/fake-discord.js';

// The tally on discord.js's own REST client, against the loopback fake: discord.js retries a 429 inside
// the call, and the tally still counts it for the write that met it. Another client (as another
// process of the bot would) uses up a channel's window first, so that our client's next write meets a
// 429 it could not foresee.

let fake: FakeDiscord;
let tallies: RateLimitTallies | undefined;

afterEach(async () => {
  tallies?.stop();
  await fake.close();
});

const body = (content: string) => ({ body: { content } });

async function setup() {
  fake = await startFakeDiscord({ buckets: { channelMessages: { limit: 1, windowMs: 300 } } });
  const rest = () => new REST({ api: fake.apiUrl }).setToken('test-token');
  const client = rest();
  const other = rest();
  tallies = tallyRateLimits(client);
  const useUpWindow = (channelId: string) => other.post(Routes.channelMessages(channelId), body('elsewhere'));
  const post = (channelId: string) => client.post(Routes.channelMessages(channelId), body('ours'));
  return { tallies, useUpWindow, post };
}

describe('tallyRateLimits', () => {
  it('counts a 429 for the write that met it, retry and all', async () => {
    const { tallies: made, useUpWindow, post } = await setup();
    const [first, second] = [fake.channelId(0), fake.channelId(1)];
    const limited = made.tally();
    const clear = made.tally();

    await useUpWindow(first);
    await limited.run(() => post(first));
    await clear.run(() => post(second));

    expect(fake.rateLimitCount).toBe(1);
    expect(limited.rateLimited).toBe(1);
    expect(clear.rateLimited).toBe(0);
  });

  it('keeps two answers’ writes apart while they share a bucket’s queue', async () => {
    const { tallies: made, useUpWindow, post } = await setup();
    const channel = fake.channelId(0);
    const [one, two] = [made.tally(), made.tally()];

    await useUpWindow(channel);
    // Both wait in discord.js's queue for the channel; only the first meets the 429, then the second
    // goes after the window it reported.
    await Promise.all([one.run(() => post(channel)), two.run(() => post(channel))]);

    expect(one.rateLimited + two.rateLimited).toBe(fake.rateLimitCount);
    expect(one.rateLimited).toBe(1);
  });

  it('counts nothing for a write outside any tally, nor after it stopped', async () => {
    const { tallies: made, useUpWindow, post } = await setup();
    const channel = fake.channelId(0);
    const tally = made.tally();

    await useUpWindow(channel);
    await post(channel);
    made.stop();
    await useUpWindow(fake.channelId(1));
    await tally.run(() => post(fake.channelId(1)));

    expect(fake.rateLimitCount).toBe(2);
    expect(tally.rateLimited).toBe(0);
  });
});
