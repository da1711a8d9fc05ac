import type { BenchConfig } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import { withBotSession } from './bot-session.js';

// /ask must be acknowledged within Discord's 3 s: INTERACTION_CREATE leaving the fake gateway → the
// deferral arriving at the fake REST, one command at a time on an otherwise idle bot.

export async function runAcks(processes: BenchProcesses, config: BenchConfig): Promise<readonly number[]> {
  const spec = { variant: 'ours', channels: 1, globalPerSecond: config.discord.globalPerSecond } as const;
  return withBotSession(processes, config, spec, () => processes.fakes.request('acknowledge', { asks: config.asks }));
}
