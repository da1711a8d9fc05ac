import type { BenchConfig, SoakSettings } from './bench-config.js';
import { deltasPerAnswer } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import { withBotSession } from './bot-session.js';
import type { SoakBotStats, SoakRecord } from './soak-protocol.js';

// The soak, from the parent: fresh fakes that inject faults, our bot in its own process sampling its
// memory, the questions for as long as asked, then everything the three processes counted.

export interface SoakResult {
  readonly settings: SoakSettings;
  readonly durationMs: number;
  readonly record: SoakRecord;
  readonly bot: SoakBotStats;
}

// A short history keeps the fake model's record of every request small over thousands of answers;
// the bot's memory does not grow with it (the history lives in SQLite, and is read per request).
const SOAK_ENV = { HISTORY_MAX_TURNS: '4' };

export async function runSoak(
  processes: BenchProcesses,
  config: BenchConfig,
  log: (line: string) => void,
): Promise<SoakResult> {
  const { soak, stream } = config;
  const durationMs = soak.minutes * 60_000;
  log(`soak: ${soak.channels} channels for ${soak.minutes} min…`);
  // An answer takes this long alone; under load and behind the channel's budget, several times that.
  const answerMs = stream.ttftMs + deltasPerAnswer(stream) * stream.deltaMs;
  const spec = {
    variant: 'ours',
    channels: soak.channels,
    globalPerSecond: config.discord.globalPerSecond,
    faults: true,
    env: SOAK_ENV,
    execArgv: ['--expose-gc'],
  } as const;
  return withBotSession(processes, config, spec, async (bot) => {
    await bot.request('soakStart', { sampleMs: soak.sampleMs });
    const record = await processes.fakes.request('soak', {
      channels: soak.channels,
      durationMs,
      faultChance: soak.faultChance,
      seed: soak.seed,
      answerTimeoutMs: Math.max(30_000, 20 * answerMs),
    });
    // The fakes judge a deleted reply once its stream closed; the bot reports it a moment later.
    await bot.request('answered', { count: record.asked, timeoutMs: 10_000 });
    return { settings: soak, durationMs, record, bot: await bot.request('soakStop', null) };
  });
}
