import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import { processFixtures, spawnBot } from './bot-process.js';

// Two bot processes sharing a real Redis, as when a shard restarts while its old process still
// runs: they share conversations, and one channel's answers never interleave.

const fixtures = processFixtures();

/** Starts a bot process on the shared Redis; it becomes the next gateway session. */
async function startBot(name: string, leaseMs: number) {
  const bot = spawnBot({
    DISCORD_TOKEN: 'test-discord-token',
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    DISCORD_API_URL: fixtures.discord.apiUrl,
    ANTHROPIC_BASE_URL: fixtures.anthropic.url,
    REDIS_URL: inject('redisUrl'),
    // Unused with Redis, but kept out of the checkout.
    DATA_DIR: join(fixtures.dataDir, name),
    CHANNEL_LEASE_MS: String(leaseMs),
    LOG_LEVEL: 'info',
  });
  await bot.logLine('connected to Discord');
  return { bot, session: fixtures.discord.sessions().length - 1 };
}

describe('several processes sharing Redis', () => {
  it('never interleave one channel’s answers, and share its conversation', async () => {
    const channelId = `${fixtures.discord.channelId(0)}`;
    await clearChannel(channelId);
    const first = await startBot('a', 2000);
    const second = await startBot('b', 2000);
    fixtures.anthropic.enqueue(
      { text: 'The first answer, streamed slowly.', chunkSize: 3, delayMs: 30 },
      { text: 'Second.' },
    );

    const one = fixtures.discord.userSays({
      channelId,
      content: `<@${fixtures.discord.botUser.id}> one`,
      session: first.session,
    });
    await fixtures.discord.waitFor(
      'messageUpdate',
      (message) => message.referencedMessageId === one.id && message.content.length > 5,
    );
    const two = fixtures.discord.userSays({
      channelId,
      content: `<@${fixtures.discord.botUser.id}> two`,
      session: second.session,
    });

    const firstStop = await fixtures.anthropic.waitFor('messageStop', (mark) => mark.index === 0);
    const secondRequest = await fixtures.anthropic.waitFor('request', (request) => request.index === 1);
    await fixtures.discord.waitFor(
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
    const channelId = fixtures.discord.channelId(1);
    await clearChannel(channelId);
    const leaseMs = 1500;
    const doomed = await startBot('c', leaseMs);
    const survivor = await startBot('d', leaseMs);
    fixtures.anthropic.enqueue(
      { deltas: ['Never finished'], fault: { kind: 'stall', afterDeltas: 1 } },
      { text: 'Answered.' },
    );

    const one = fixtures.discord.userSays({
      channelId,
      content: `<@${fixtures.discord.botUser.id}> one`,
      session: doomed.session,
    });
    await fixtures.discord.waitFor('messageUpdate', (message) => message.referencedMessageId === one.id);
    doomed.bot.child.kill('SIGKILL');
    await doomed.bot.exited;

    const two = fixtures.discord.userSays({
      channelId,
      content: `<@${fixtures.discord.botUser.id}> two`,
      session: survivor.session,
    });
    const answered = await fixtures.discord.waitFor(
      'messageUpdate',
      (message) => message.referencedMessageId === two.id && message.content === 'Answered.',
    );
    // The dead process's lock lapsed with its lease: the channel answers again.
    expect(answered.content).toBe('Answered.');
    expect(fixtures.anthropic.requests.map((request) => request.body.messages.at(-1)?.content)).toEqual(['one', 'two']);
  });
});

// The fake Discord's ids repeat from run to run: start each test from an empty conversation.
async function clearChannel(channelId: string): Promise<void> {
  const storage = await createRedisStorage({ url: inject('redisUrl'), keep: 20, conversationTtlSeconds: 60 });
  await storage.conversations.clear(channelId);
  await storage.close();
}
