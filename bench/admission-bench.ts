import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createAccessPolicy } from '../src/core/access/access-policy.js';
import { createAdmission } from '../src/core/access/admission.js';
import type { Admit } from '../src/core/access/admission.js';
import { createBudgetCheck } from '../src/core/budget/budget-check.js';
import type { BudgetLimits } from '../src/core/budget/budget-limits.js';
import { NO_LIMITS } from '../src/core/budget/budget-limits.js';
import { recordUsage } from '../src/core/budget/usage-recorder.js';
import { systemClock } from '../src/core/ports/clock.js';
import type { Storage } from '../src/core/ports/storage.js';
import { scopeKey } from '../src/core/settings/settings-scopes.js';
import { createRedisStorage } from '../src/storage/redis/redis-storage.js';
import { createSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import startRedisServer from '../test/storage/redis-server.js';
import { renderTable } from './table.js';

// npm run bench -- --scenario admission [--questions N]
// The cost of deciding whether a question is answered, per question, before anything is posted:
// the settings of where it was asked (channel, parent, guild), the access lists, the daily token
// budgets of the person, channel and guild, and the person's rate this minute. Measured in this
// process against a real SQLite file and a real redis-server on loopback, with every limit set (high
// enough never to refuse) and with none, over many people and channels with usage already counted.

const PEOPLE = 500;
const CHANNELS = 50;
const GUILD = '100000000000000001';
const LIMITS: BudgetLimits = {
  userRequestsPerMinute: 1_000_000,
  userDailyTokens: 1e12,
  channelDailyTokens: 1e12,
  guildDailyTokens: 1e12,
};
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const id = (base: number, index: number) => String(BigInt(base) * 10n ** 15n + BigInt(index));

export interface AdmissionFigures {
  readonly backend: string;
  readonly budgets: 'all set' | 'none';
  readonly medianUs: number;
  readonly p99Us: number;
}

export async function runAdmissionBench(questions: number, log: (line: string) => void): Promise<string[]> {
  const figures: AdmissionFigures[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-bench-admission-'));
  let redisUrl = '';
  const stopRedis = await startRedisServer({
    provide: (_key: string, url: string) => (redisUrl = url),
  } as unknown as TestProject);
  try {
    const backends: Array<[string, () => Promise<Storage>]> = [
      ['SQLite', () => Promise.resolve(createSqliteStorage({ dataDir, keep: 20 }))],
      ['Redis', () => createRedisStorage({ url: redisUrl, keep: 20, conversationTtlSeconds: 3600 })],
    ];
    for (const [backend, open] of backends) {
      const storage = await open();
      try {
        await seed(storage);
        for (const limits of [LIMITS, NO_LIMITS]) {
          log(`admission: ${backend}, budgets ${limits === LIMITS ? 'all set' : 'none'}, ${questions} questions`);
          const timings = await measure(admission(storage, limits), questions);
          figures.push({ backend, budgets: limits === LIMITS ? 'all set' : 'none', ...timings });
        }
      } finally {
        await storage.close();
      }
    }
  } finally {
    await stopRedis();
    await rm(dataDir, { recursive: true, force: true });
  }
  return renderAdmission(figures, questions);
}

function admission(storage: Storage, limits: BudgetLimits): Admit {
  const operator = {
    allowedGuildIds: new Set([GUILD]),
    allowedChannelIds: new Set<string>(),
    allowedRoleIds: new Set<string>(),
    allowedUserIds: new Set<string>(),
    blockedUserIds: new Set([id(9, 1)]),
    allowDms: true,
    adminIds: new Set<string>(),
  };
  return createAdmission({
    settings: storage.settings,
    access: createAccessPolicy(operator),
    budget: createBudgetCheck({ usage: storage.usage, requests: storage.requests, limits, clock: systemClock }),
    queueRefusal: () => null,
    adminIds: operator.adminIds,
    allowedModels: new Set(['claude-sonnet-5-5', 'claude-haiku-4-5']),
    logger: silent,
  });
}

// Usage already counted for everyone, settings for the guild and every other channel, guild lists.
async function seed(storage: Storage): Promise<void> {
  const usage = { inputTokens: 1200, outputTokens: 400, cacheReadTokens: 5000, cacheCreationTokens: 300 };
  const now = systemClock.now();
  for (let person = 0; person < PEOPLE; person += 1) {
    const question = {
      id: `q${person}`,
      channelId: id(2, person % CHANNELS),
      guildId: GUILD,
      authorId: id(3, person),
      text: 'x',
      remember: true,
    };
    await recordUsage(storage.usage, question, usage, now);
  }
  await storage.settings.update(scopeKey.guild(GUILD), () => ({
    persona: 'You are a helpful pirate.',
    access: {
      allowedChannelIds: Array.from({ length: CHANNELS }, (_, index) => id(2, index)),
      blockedUserIds: [id(9, 2)],
    },
  }));
  for (let channel = 0; channel < CHANNELS; channel += 2) {
    await storage.settings.update(scopeKey.channel(id(2, channel)), () => ({
      model: 'claude-haiku-4-5',
      maxTokens: 2048,
    }));
  }
}

async function measure(admit: Admit, questions: number): Promise<{ medianUs: number; p99Us: number }> {
  const timings: number[] = [];
  for (let index = 0; index < questions; index += 1) {
    const channelId = id(2, index % CHANNELS);
    const authorId = id(3, index % PEOPLE);
    const question = { id: `m${index}`, channelId, guildId: GUILD, authorId, text: 'What is a monad?', remember: true };
    const asker = { userId: authorId, roleIds: [], guildId: GUILD, channelIds: [channelId], managesGuild: false };
    const started = process.hrtime.bigint();
    const admission = await admit(question, asker);
    timings.push(Number(process.hrtime.bigint() - started) / 1000);
    if (admission.kind !== 'admitted') throw new Error(`the bench question was refused: ${admission.kind}`);
  }
  timings.sort((a, b) => a - b);
  const at = (fraction: number) =>
    timings[Math.min(timings.length - 1, Math.ceil(fraction * timings.length) - 1)] ?? NaN;
  return { medianUs: at(0.5), p99Us: at(0.99) };
}

function renderAdmission(figures: readonly AdmissionFigures[], questions: number): string[] {
  return [
    `Admission check per question (${questions} questions per row, ${PEOPLE} people, ${CHANNELS} channels, one at a time)`,
    ...renderTable([
      ['storage', 'budgets', 'median µs', 'p99 µs'],
      ...figures.map((row) => [row.backend, row.budgets, row.medianUs.toFixed(0), row.p99Us.toFixed(0)]),
    ]),
  ];
}
