import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, inject, it } from 'vitest';
import { usageDay } from '../../src/core/budget/usage-day.js';
import { usageKeys } from '../../src/core/budget/usage-keys.js';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import type { FakeUser } from '../fakes/fake-discord.js';
import { alice, bob, carol, firstReply } from './budget-helpers.js';
import { processFixtures, spawnBot } from './bot-process.js';
import type { BotProcess } from './bot-process.js';

// A guild budget shared by two bot processes on one Redis: what either counts, both check, so
// together they pass the budget by at most the answers they had running when it was crossed, and
// after that neither asks Claude again.

const fixtures = processFixtures();

const LIMIT = 150;
// Keys of this test alone: other tests' bots answer in the fake's guild on the same Redis meanwhile.
const PREFIX = `streamcord-test:${randomUUID()}:`;

function startBot(name: string): BotProcess {
  return spawnBot(
    fixtures.botEnv({
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: PREFIX,
      // Unused with Redis, but kept out of the checkout.
      DATA_DIR: join(fixtures.dataDir, name),
      GUILD_DAILY_TOKENS: String(LIMIT),
    }),
  );
}

/** Resolves once `bots` together have logged `message` `count` times from now on. */
function logged(bots: readonly BotProcess[], message: string, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    for (const bot of bots) {
      createInterface({ input: bot.child.stdout }).on('line', (line) => {
        if ((JSON.parse(line) as { msg?: unknown }).msg === message && ++seen === count) resolve();
      });
    }
  });
}

describe('a guild budget on Redis, shared by two processes', () => {
  it('counts every answer of both exactly, and once it is passed neither process asks Claude again', async () => {
    const { discord, anthropic } = fixtures;
    const bots = [startBot('a'), startBot('b')];
    await Promise.all(bots.map((bot) => bot.logLine('connected to Discord')));
    // Sessions 0 and 1 are the two processes, in whichever order they identified.
    const [a, b] = [0, 1];
    const [one, two, three] = discord.channelIds;
    const say = (session: number, author: FakeUser, channelId: string | undefined, text: string) =>
      discord.userSays({ session, author, channelId, content: `<@${discord.botUser.id}> ${text}` });

    // Three answers at once, 50, 60 and 70 tokens: whatever order they end in, each is admitted
    // (the most any admission can see counted is 60 + 70 = 130, under 150); together they pass the
    // budget, by less than the answers that were running.
    anthropic.enqueue(
      { text: 'Fifty.', inputTokens: 20, outputTokens: 30 },
      { text: 'Sixty.', inputTokens: 25, outputTokens: 35 },
      { text: 'Seventy.', inputTokens: 30, outputTokens: 40 },
    );
    // An answer's tokens are counted before it logs that it finished.
    const counted = logged(bots, 'answer finished', 3);
    say(a, alice, one, 'one');
    say(b, bob, two, 'two');
    say(a, carol, three, 'three');
    await counted;
    expect(anthropic.requests).toHaveLength(3);

    // Over the budget: every question to either process is refused, and Claude is not asked.
    const refused = [say(a, bob, one, 'four'), say(b, alice, two, 'five'), say(b, carol, three, 'six')];
    for (const question of refused) {
      expect(await firstReply(discord, question)).toMatch(
        /^⏳ This server has used today’s budget: 180 of 150 tokens\. It resets at midnight UTC, in /,
      );
    }
    expect(anthropic.requests).toHaveLength(3);

    // Redis holds exactly what the three answers used: no increment of either process was lost.
    const storage = await createRedisStorage({
      url: inject('redisUrl'),
      keyPrefix: PREFIX,
      keep: 20,
      conversationTtlSeconds: 60,
    });
    try {
      const { date } = usageDay(Date.now());
      expect(await storage.usage.get(usageKeys.guild(discord.guildId, date))).toEqual({
        input: 75,
        output: 105,
        cacheRead: 0,
        cacheCreation: 0,
      });
    } finally {
      await storage.close();
    }
  });
});
