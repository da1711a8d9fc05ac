import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { RecordedAnthropicRequest } from '../fakes/fake-anthropic.js';
import { shardOfGuild, startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord, StoredMessage } from '../fakes/fake-discord.js';
import { parsePrometheusText, sampleValue } from '../unit/ops/prometheus-text.js';

// `npm run start:sharded` as a process: a ShardingManager whose shards are child processes running
// the ordinary bot. Each shard gets only its guilds' events, and SIGTERM stops them all gracefully.

const cleanups: (() => Promise<void>)[] = [];
let manager: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  // A failed test may leave the manager up: kill its whole tree, shards first (their pids are logged).
  if (manager && manager.exitCode === null) {
    for (const pid of shardPids) killQuietly(pid);
    manager.kill('SIGKILL');
    await once(manager, 'exit');
  }
  manager = undefined;
  shardPids.length = 0;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const shardPids: number[] = [];

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const ANSWERS: Readonly<Record<string, string>> = {
  'question for guild A': 'Answer from the shard of guild A.',
  'question for guild B': 'Answer from the shard of guild B.',
};

/** The fake Anthropic answers by question, so the order in which the shards ask does not matter. */
function answerFor(request: RecordedAnthropicRequest): string {
  const last = request.body.messages.at(-1)?.content;
  const question = typeof last === 'string' ? last : '';
  return ANSWERS[question] ?? `no scripted answer for ${JSON.stringify(question)}`;
}

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streamcord-sharding-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function startManager(env: Record<string, string>): ChildProcessWithoutNullStreams {
  // Only what we pass: no .env from the developer's checkout, no real tokens from the shell.
  manager = spawn(process.execPath, ['--import', 'tsx', 'src/sharded.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
  });
  return manager;
}

type LogEntry = Readonly<Record<string, unknown>>;

interface Log {
  /** Resolves with the first `count` entries whose `msg` is `msg`, logged before or after the call. */
  until(msg: string, count: number): Promise<LogEntry[]>;
}

/**
 * The JSON log lines on the manager's stdout, which the shards share (ShardingManager's default
 * `silent: false`). Also remembers the shards' pids, so the test can check they are gone.
 */
function readLog(process: ChildProcessWithoutNullStreams): Log {
  const entries: LogEntry[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: process.stdout }).on('line', (line) => {
    const entry = parseLine(line);
    if (entry === undefined) return;
    entries.push(entry);
    if (entry['msg'] === 'shard spawned' && typeof entry['shardPid'] === 'number') shardPids.push(entry['shardPid']);
    for (const check of waiting) check();
  });
  return {
    until: (msg, count) =>
      new Promise((resolve) => {
        const check = (): void => {
          const found = entries.filter((entry) => entry['msg'] === msg);
          if (found.length < count) return;
          waiting.delete(check);
          resolve(found.slice(0, count));
        };
        waiting.add(check);
        check();
      }),
  };
}

function parseLine(line: string): LogEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

async function exitOf(process: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(process, 'exit')) as [number | null];
  return { code, stderr };
}

function repliesTo(discord: FakeDiscord, question: StoredMessage): StoredMessage[] {
  return [...discord.messages.values()].filter((message) => message.referencedMessageId === question.id);
}

describe('the sharded bot (npm run start:sharded)', () => {
  it('exits with status 1 and lists every configuration problem before spawning any shard', async () => {
    const bot = startManager({ STREAMCORD_SHARD_COUNT: 'zero', DATA_DIR: await freshDataDir() });
    const { code, stderr } = await exitOf(bot);
    expect(code).toBe(1);
    expect(stderr).toContain('No platform is configured: set DISCORD_TOKEN');
    expect(stderr).toContain('ANTHROPIC_API_KEY is required');
    expect(stderr).toContain('STREAMCORD_SHARD_COUNT must be a number');
  });

  it('runs one shard per process, each answering its own guild, and stops them all on SIGTERM', async () => {
    const discord = await startFakeDiscord({ shards: 2, guilds: 2 });
    cleanups.push(() => discord.close());
    const anthropic = await startFakeAnthropic({ defaultScript: (request) => ({ text: answerFor(request) }) });
    cleanups.push(() => anthropic.close());
    const [guildA, guildB] = discord.guildIds;
    if (guildA === undefined || guildB === undefined) throw new Error('the fake has two guilds');
    expect([shardOfGuild(guildA, 2), shardOfGuild(guildB, 2)]).toEqual([0, 1]);

    // The manager spaces its shards 5.5 s apart (Discord's identify limit), so shard 1 comes late.
    const identified = Promise.all(
      [0, 1].map(async (id) => discord.waitFor('identify', (info) => info.shard?.[0] === id, { timeoutMs: 15_000 })),
    );
    const bot = startManager({
      DISCORD_TOKEN: 'test-discord-token',
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      DISCORD_API_URL: discord.apiUrl,
      ANTHROPIC_BASE_URL: anthropic.url,
      STREAMCORD_SHARD_COUNT: '2',
      DATA_DIR: await freshDataDir(),
      LOG_LEVEL: 'info',
    });
    const exited = exitOf(bot);
    const log = readLog(bot);

    const identifies = await identified;
    expect(identifies.map((info) => info.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await log.until('all shards ready', 1);
    expect(shardPids).toHaveLength(2);
    // Each shard's client got READY with its own guild only.
    const connected = await log.until('connected to Discord', 2);
    expect(connected.map((entry) => entry['guilds'])).toEqual([1, 1]);
    expect(new Set(connected.map((entry) => entry['pid']))).toEqual(new Set(shardPids));

    const mention = (text: string): string => `<@${discord.botUser.id}> ${text}`;
    const answered = Promise.all(
      Object.values(ANSWERS).map(async (answer) => discord.waitFor('messageUpdate', (m) => m.content === answer)),
    );
    const questionA = discord.userSays({
      channelId: discord.channelIdsOf(guildA)[0],
      content: mention('question for guild A'),
    });
    const questionB = discord.userSays({
      channelId: discord.channelIdsOf(guildB)[0],
      content: mention('question for guild B'),
    });
    await answered;

    // Every shard closes its gateway connection itself (1000), rather than vanishing (1006).
    const closes = discord
      .sessions()
      .map(async (session) => discord.waitFor('gatewayClose', (event) => event.sessionId === session.sessionId));
    bot.kill('SIGTERM');
    const { code, stderr } = await exited;

    expect(code, stderr).toBe(0);
    expect((await Promise.all(closes)).map((event) => event.code)).toEqual([1000, 1000]);
    expect(discord.gatewayConnections).toBe(0);
    expect(shardPids.filter(isAlive)).toEqual([]);
    for (const [question, answer] of [
      [questionA, ANSWERS['question for guild A']],
      [questionB, ANSWERS['question for guild B']],
    ] as const) {
      const replies = repliesTo(discord, question);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.content).toBe(answer);
    }
    expect(anthropic.requests).toHaveLength(2);
    // The slash commands are synced once, by shard 0's process; the other shard leaves them be.
    expect(discord.commandRequests()).toEqual({ reads: 1, writes: 1 });
  });

  it("serves /healthz, /readyz and /metrics for every shard on the manager's one port", async () => {
    const discord = await startFakeDiscord({ shards: 2, guilds: 2 });
    cleanups.push(() => discord.close());
    const anthropic = await startFakeAnthropic();
    cleanups.push(() => anthropic.close());
    const bot = startManager({
      DISCORD_TOKEN: 'test-discord-token',
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      DISCORD_API_URL: discord.apiUrl,
      ANTHROPIC_BASE_URL: anthropic.url,
      STREAMCORD_SHARD_COUNT: '2',
      DATA_DIR: await freshDataDir(),
      SYNC_COMMANDS: 'false',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    const exited = exitOf(bot);
    const log = readLog(bot);
    const [serving] = await log.until('serving /healthz, /readyz and /metrics for every shard', 1);
    const url = String(serving?.['url']);

    // Up before its shards, which spawn 5.5 s apart: alive at once, ready only once both are.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const early = await fetch(`${url}/readyz`);
    expect(early.status).toBe(503);
    expect(((await early.json()) as { reasons: string[] }).reasons.length).toBeGreaterThan(0);
    await log.until('all shards ready', 1);
    const ready = await fetch(`${url}/readyz`);
    expect({ status: ready.status, body: await ready.text() }).toEqual({
      status: 200,
      body: '{"ready":true,"reasons":[]}\n',
    });

    // Guild B is shard 1's: its refusal is counted there, and served here with the shard's label.
    const [, guildB] = discord.guildIds;
    const channelId = discord.channelIdsOf(guildB ?? '')[0];
    // The bot's hint, not the question itself (the fake tells of every message created).
    const hint = discord.waitFor(
      'messageCreate',
      (message) => message.channelId === channelId && message.authorId === discord.botUser.id,
    );
    discord.userSays({ channelId, content: `<@${discord.botUser.id}>` });
    await hint;
    const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    const refusals = (shard: string) =>
      sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'empty', shard });
    expect([refusals('0'), refusals('1')]).toEqual([0, 1]);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total' && !sample.labels['shard'])).toBe(
      true,
    );

    bot.kill('SIGTERM');
    const { code, stderr } = await exited;
    expect(code, stderr).toBe(0);
  });
});
