import type { BenchConfig } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import type { BotProtocol } from './bot-protocol.js';
import { startChild } from './child-client.js';
import type { ChildClient } from './child-client.js';
import type { BotVariant } from './settings.js';

// Fresh fakes and a fresh bot process connected to them for one piece of work, both stopped after
// it whatever happens: every scenario starts from the same clean state.

export interface SessionSpec {
  readonly variant: BotVariant;
  readonly channels: number;
  readonly globalPerSecond: number;
  /** The fakes inject the soak's faults. */
  readonly faults?: boolean;
  /** Settings for the bot on top of the bench's (environment names). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags for the bot process on top of the configured ones. */
  readonly execArgv?: readonly string[];
}

export async function withBotSession<T>(
  processes: BenchProcesses,
  config: BenchConfig,
  spec: SessionSpec,
  work: (bot: ChildClient<BotProtocol>) => Promise<T>,
): Promise<T> {
  const { fakes } = processes;
  const discord = { ...config.discord, channels: spec.channels, globalPerSecond: spec.globalPerSecond };
  const urls = await fakes.request('start', { discord, stream: config.stream, faults: spec.faults ?? false });
  const bot = startChild<BotProtocol>({
    module: processes.botModule,
    execArgv: [...config.botExecArgv, ...(spec.execArgv ?? [])],
    cwd: processes.root,
  });
  try {
    await bot.request('start', {
      variant: spec.variant,
      ...urls,
      globalPerSecond: spec.globalPerSecond,
      channelBucket: config.discord.channelBucket,
      ...(spec.env ? { env: spec.env } : {}),
    });
    const result = await work(bot);
    await bot.request('stop', null);
    return result;
  } finally {
    await bot.close();
    await fakes.request('stop', null);
  }
}
