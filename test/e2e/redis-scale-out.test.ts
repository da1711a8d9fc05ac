import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';
import { killBots, spawnBot } from './bot-process.js';

// Two bot processes sharing a real Redis, as when a shard restarts while its old process still
// runs: they share conversations, and one channel's answers never interleave.

let discord: FakeDiscord;
let anthropic: FakeAnthropic;
let dataDir: string;

beforeEach(async () => {
  discord = await startFakeDiscord();
  anthropic = await startFakeAnthropic();
  dataDir = await mkdtemp(join(tmpdir(), 'streamcord-redis-e2e-'));
});

afterEach(async () => {
  await killBots();
  await Promise.all([discord.close(), anthropic.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts a bot process on the shared Redis; it becomes the next gateway session. */
async function startBot(name: string, leaseMs: number) {
  const bot = spawnBot({
    DISCORD_TOKEN: 'test-discord-token',
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    DISCORD_API_URL: discord.apiUrl,
    ANTHROPIC_BASE_URL: anthropic.url,
    REDIS_URL: inject('redisUrl'),
    // Unused with Redis, but kept out of the checkout.
    DATA_DIR: join(dataDir, name),
    CHANNEL_LEASE_MS: String(leaseMs),
    LOG_LEVEL: 'info',
  });
  await bot.logLine('connected to Discord');
  return { bot, session: discord.sessions().length - 1 };
}

describe('several processes sharing Redis', () => {
  it('never interleave one channel’s answers, and share its conversation', async () => {
    const channelId = `${discord.channelId(0)}`;
    await clearChannel(channelId);
    const first = await startBot('a', 2000);
    const second = await startBot('b', 2000);
    anthropic.enqueue({ text: 'The first answer, streamed slowly.', chunkSize: 3, delayMs: 30 }, { text: 'Second.' });

    const one = discord.userSays({ channelId, content: `<@${discord.botUser.id}> one`, session: first.session });
    await discord.waitFor(
      'messageUpdate',
      (message) => message.referencedMessageId === one.id && message.content.length > 5,
    );
    const two = discord.userSays({ channelId, content: `<@${discord.botUser.id}> two`, session: second.session });

    const firstStop = await anthropic.waitFor('messageStop', (mark) => mark.index === 0);
    const secondRequest = await anthropic.waitFor('request', (request) => request.index === 1);
    await discord.waitFor(
      'messageUpdate',
      (message) => message.referencedMessageId === two.id && message.content === 'Second.',
    );

    // The second process waited for the channel until the first answer had ended...
    expect(secondRequest.at).toBeGreaterThan(firstStop.at);
    // ...and read the first answer from Redis.
    expect(secondRequest.body.messages.map((message) => message.content)).toEqual([
      'one',
      'The first answer, streamed slowly.',
      'two',
    ]);
  });

  it('free a channel held by a killed process once its lease runs out', async () => {
    const channelId = discord.channelId(1);
    await clearChannel(channelId);
    const leaseMs = 1500;
    const doomed = await startBot('c', leaseMs);
    const survivor = await startBot('d', leaseMs);
    anthropic.enqueue({ deltas: ['Never finished'], fault: { kind: 'stall', afterDeltas: 1 } }, { text: 'Answered.' });

    const one = discord.userSays({ channelId, content: `<@${discord.botUser.id}> one`, session: doomed.session });
    await discord.waitFor('messageUpdate', (message) => message.referencedMessageId === one.id);
    doomed.bot.child.kill('SIGKILL');
    await doomed.bot.exited;

    const two = discord.userSays({ channelId, content: `<@${discord.botUser.id}> two`, session: survivor.session });
    const answered = await discord.waitFor(
      'messageUpdate',
      (message) => message.referencedMessageId === two.id && message.content === 'Answered.',
    );
    // The dead process's lock lapsed with its lease: the channel answers again.
    expect(answered.content).toBe('Answered.');
    expect(anthropic.requests.map((request) => request.body.messages.at(-1)?.content)).toEqual(['one', 'two']);
  });
});

// The fake Discord's ids repeat from run to run: start each test from an empty conversation.
async function clearChannel(channelId: string): Promise<void> {
  const storage = await createRedisStorage({ url: inject('redisUrl'), keep: 20, conversationTtlSeconds: 60 });
  await storage.conversations.clear(channelId);
  await storage.close();
}
