import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach } from 'vitest';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';

// The bot as a process, started the way `npm start` runs it (from source here, through tsx), with
// only the environment a test gives it: no .env from the checkout, no real tokens from the shell.

export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code and everything written to stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  /** Resolves with the first JSON log line whose message is `message`. */
  logLine(message: string): Promise<Record<string, unknown>>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

export function spawnBot(env: Record<string, string>, entry = 'src/index.ts'): BotProcess {
  return track(
    spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
    }),
  );
}

/**
 * Compiled JavaScript run by plain node in `cwd`, as `npm start` runs dist/src/index.js: dotenv
 * reads `cwd`/.env, and `env` (with PATH) is all the environment it gets besides.
 */
export function spawnBuiltBot(script: string, options: { cwd: string; env: Record<string, string> }): BotProcess {
  return track(
    spawn(process.execPath, [script], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env } }),
  );
}

/**
 * A command line such as a Dockerfile's CMD (`node` is this node) run in `cwd`, without a shell, with
 * `env` (and PATH) as all its environment.
 */
export function spawnBotCommand(
  command: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): BotProcess {
  const [program = '', ...args] = command;
  return track(
    spawn(program === 'node' ? process.execPath : program, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
    }),
  );
}

function track(child: ChildProcessWithoutNullStreams): BotProcess {
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return { code: code as number | null, stderr };
  });
  const lines = createInterface({ input: child.stdout });
  const logLine = (message: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const onLine = (line: string) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg !== message) return;
        lines.off('line', onLine);
        resolve(entry);
      };
      lines.on('line', onLine);
    });
  return { child, exited, logLine };
}

/** Kills every bot process a test left running (afterEach). */
export async function killBots(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exit = once(child, 'exit');
      child.kill('SIGKILL');
      await exit;
    }),
  );
}

export interface ProcessFixtures {
  readonly discord: FakeDiscord;
  readonly anthropic: FakeAnthropic;
  /** A fresh directory per test, for DATA_DIR. */
  readonly dataDir: string;
  /** The bot's environment against these fakes, with `extra` on top. */
  botEnv(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Fresh fakes and a data directory for every test of the calling file, and afterwards no bot
 * process, fake or directory left behind. Read the fields inside tests (they change per test).
 */
export function processFixtures(): ProcessFixtures {
  let current: { discord: FakeDiscord; anthropic: FakeAnthropic; dataDir: string } | undefined;
  beforeEach(async () => {
    current = {
      discord: await startFakeDiscord(),
      anthropic: await startFakeAnthropic(),
      dataDir: await mkdtemp(join(tmpdir(), 'streamcord-process-')),
    };
  });
  afterEach(async () => {
    await killBots();
    if (!current) return;
    await Promise.all([current.discord.close(), current.anthropic.close()]);
    await rm(current.dataDir, { recursive: true, force: true });
  });
  const now = () => {
    if (!current) throw new Error('process fixtures are only there inside a test');
    return current;
  };
  return {
    get discord() {
      return now().discord;
    },
    get anthropic() {
      return now().anthropic;
    },
    get dataDir() {
      return now().dataDir;
    },
    botEnv: (extra = {}) => ({
      DISCORD_TOKEN: 'test-discord-token',
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      DISCORD_API_URL: now().discord.apiUrl,
      ANTHROPIC_BASE_URL: now().anthropic.url,
      DATA_DIR: now().dataDir,
      LOG_LEVEL: 'info',
      ...extra,
    }),
  };
}
