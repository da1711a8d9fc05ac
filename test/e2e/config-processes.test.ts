import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import type { Bot } from '../../src/bot.js';
import { configSecrets, loadConfig } from '../../src/config.js';
import { scopeKey } from '../../src/core/settings/settings-scopes.js';
import { settingsText } from '../../src/core/settings/settings-text.js';
import { createLogger } from '../../src/logger.js';
import type { RecordedMessagesBody } from '../fakes/fake-anthropic.js';
import { asManager, configOptions, lastQuestion, harnessOptions, runConfig } from './config-driver.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// /config on two bots sharing one Redis: what one of them stores applies to the next question the
// other answers. The second bot runs in this process beside the harness's (createBot keeps nothing
// at module level, so the two share only Redis and the fakes, as two processes would) because
// spawning two processes costs seconds each.

const HAIKU = 'claude-haiku-4-5';

let harness: Harness;
let second: { bot: Bot; dataDir: string } | undefined;

afterEach(async () => {
  // The second bot first: stopping lets its answer end, and that answer writes to Redis.
  if (second) {
    await second.bot.stop();
    await rm(second.dataDir, { recursive: true, force: true });
    second = undefined;
  }
  // The fake Discord's ids may come back in a later run: leave Redis as we found it.
  const channelId = harness.discord.channelId(0);
  await harness.bot.storage.settings.update(scopeKey.channel(channelId), () => ({}));
  await harness.bot.storage.conversations.clear(channelId);
  await harness.close();
});

/** A second bot on the same fakes and Redis; it becomes the next gateway session. */
async function startSecondBot(harness: Harness, env: Record<string, string>): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-test-'));
  const config = loadConfig({
    // Unused with Redis, but kept out of the checkout.
    DATA_DIR: dataDir,
    DISCORD_TOKEN: 'test-discord-token',
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    DISCORD_API_URL: harness.discord.apiUrl,
    ANTHROPIC_BASE_URL: harness.anthropic.url,
    ANTHROPIC_MAX_RETRIES: '0',
    ...env,
  });
  const secrets = configSecrets(config);
  const bot = await createBot({ config, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', { secrets }) });
  second = { bot, dataDir };
  await bot.start();
  return harness.discord.sessions().length - 1;
}

/** Asks `text` in the first channel through one session only; resolves with Claude's request. */
async function askThrough(harness: Harness, session: number, text: string): Promise<RecordedMessagesBody> {
  const { discord, anthropic } = harness;
  discord.userSays({ content: harness.mention(text), session });
  const request = await anthropic.waitFor('request', (candidate) => lastQuestion(candidate.body) === text);
  // Its answer ends before the next question: one channel, one answer at a time.
  await anthropic.waitFor('messageStop', (mark) => mark.index === request.index);
  return request.body;
}

describe('/config across bots sharing Redis', () => {
  it('a setting stored by one bot applies to the next question the other answers', async () => {
    const env = { REDIS_URL: inject('redisUrl'), ALLOWED_MODELS: HAIKU };
    harness = await startHarness({ ...harnessOptions, env });
    const first = harness.discord.sessions().length - 1;
    const other = await startSecondBot(harness, env);
    const { discord } = harness;

    const set = await runConfig(discord, configOptions.set('persona', 'You are a pirate.'), {
      ...asManager(),
      session: other,
    });
    expect(set).toBe(settingsText.set('persona', 'channel'));
    expect((await askThrough(harness, first, 'asked the first bot')).system).toBe('You are a pirate.');

    await runConfig(discord, configOptions.set('model', HAIKU), { ...asManager(), session: first });
    const body = await askThrough(harness, other, 'asked the second bot');
    expect({ system: body.system, model: body.model }).toEqual({ system: 'You are a pirate.', model: HAIKU });
  });
});
