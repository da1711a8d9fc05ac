import type { BenchConfig } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import type { BotProtocol } from './bot-protocol.js';
import { startChild } from './child-client.js';

// /ask must be acknowledged within Discord's 3 s: INTERACTION_CREATE leaving the fake gateway → the
// deferral arriving at the fake REST, one command at a time on an otherwise idle bot.

export async function runAcks(processes: BenchProcesses, config: BenchConfig): Promise<readonly number[]> {
  const { fakes } = processes;
  const discord = { ...config.discord, channels: 1 };
  const urls = await fakes.request('start', { discord, stream: config.stream });
  const bot = startChild<BotProtocol>({
    module: processes.botModule,
    execArgv: config.botExecArgv,
    cwd: processes.root,
  });
  try {
    await bot.request('start', {
      variant: 'ours',
      ...urls,
      globalPerSecond: config.discord.globalPerSecond,
      editBucket: config.discord.editBucket,
    });
    const elapsed = await fakes.request('acknowledge', { asks: config.asks });
    await bot.request('stop', null);
    return elapsed;
  } finally {
    await bot.close();
    await fakes.request('stop', null);
  }
}
