import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startChild } from './child-client.js';
import type { ChildClient } from './child-client.js';
import type { FakesProtocol } from './fakes-protocol.js';

// The processes a bench run uses: one fakes process for the whole run (TypeScript through tsx; its
// memory is not measured), and the bot process module, compiled to JavaScript first so that a bot
// is measured the way `npm start` runs it, without a TypeScript loader's memory and start-up.

export interface BenchProcesses {
  readonly root: string;
  readonly fakes: ChildClient<FakesProtocol>;
  /** The compiled bot process; start one per bot measured. */
  readonly botModule: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// One build per checkout: worktrees that share node_modules must not run each other's bot.
const BOT_BUILD = `node_modules/.cache/streamcord-bench-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`;

export async function startBenchProcesses(): Promise<BenchProcesses> {
  const botModule = await buildBotProcess();
  const fakes = startChild<FakesProtocol>({
    module: fileURLToPath(new URL('./fakes-process.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    cwd: ROOT,
  });
  return { root: ROOT, fakes, botModule };
}

/** Compiles bench/bot-process.ts and what it imports (src/, commands/) with tsc; incremental. */
async function buildBotProcess(): Promise<string> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    const outputs = ['--outDir', BOT_BUILD, '--tsBuildInfoFile', `${BOT_BUILD}/bot.tsbuildinfo`];
    await promisify(execFile)(process.execPath, [tsc, '-p', 'bench/tsconfig.bot.json', ...outputs], { cwd: ROOT });
  } catch (error) {
    const output = typeof error === 'object' && error !== null && 'stdout' in error ? String(error.stdout) : '';
    throw new Error(`could not compile the bot for the bench:\n${output}`, { cause: error });
  }
  return `${ROOT}${BOT_BUILD}/bench/bot-process.js`;
}
