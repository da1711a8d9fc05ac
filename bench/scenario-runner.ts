import type { BenchConfig, ScenarioName } from './bench-config.js';
import { deltasPerAnswer } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import type { BotProtocol } from './bot-protocol.js';
import { withBotSession } from './bot-session.js';
import type { ChildClient } from './child-client.js';
import type { BotVariant } from './settings.js';
import { summarize } from './variant-summary.js';
import type { VariantRun, VariantSummary } from './variant-summary.js';

// Runs one scenario for each bot variant: fresh fakes, a fresh bot process, the questions, the
// numbers. Bots never share a process or a run, so each one's CPU, memory and event loop are its own.

export interface ScenarioSpec {
  readonly name: ScenarioName;
  readonly title: string;
  /** Guild text channels the fake has. */
  readonly channels: number;
  /** Each wave: the channel of every question asked at once; the next wave starts when it is answered. */
  readonly waves: readonly (readonly number[])[];
  readonly variants: readonly BotVariant[];
  readonly globalPerSecond: number;
  /** A wave's questions arrive evenly over this long (0: all at once). */
  readonly spreadMs: number;
}

export interface ScenarioResult {
  readonly spec: ScenarioSpec;
  readonly runs: readonly VariantSummary[];
}

export async function runScenario(
  processes: BenchProcesses,
  config: BenchConfig,
  spec: ScenarioSpec,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const runs: VariantSummary[] = [];
  for (const variant of spec.variants) {
    log(`${spec.title}: ${variant}…`);
    runs.push(summarize(await runVariant(processes, config, spec, variant), finalEditAllowance(config)));
  }
  return { spec, runs };
}

export async function runVariant(
  processes: BenchProcesses,
  config: BenchConfig,
  spec: ScenarioSpec,
  variant: BotVariant,
): Promise<VariantRun> {
  const { fakes } = processes;
  // One more channel than the scenario uses: the warm-up question's, so its edits draw on no budget of the run.
  const session = { variant, channels: spec.channels + 1, globalPerSecond: spec.globalPerSecond };
  return withBotSession(processes, config, session, async (bot) => {
    await warmUp(processes, bot, config, spec);
    await bot.request('measureStart', null);
    const record = await fakes.request('run', {
      waves: spec.waves,
      spreadMs: spec.spreadMs,
      settleCapMs: config.settleCapMs,
      safetyMs: safetyMs(config, spec),
    });
    // The bot hears of its last edit one round trip after the fakes saw it: wait for that, briefly.
    const complete = record.answers.filter((answer) => answer.completeAt !== null).length;
    const stats = await bot.request('measureStop', { answers: complete, timeoutMs: 10_000 });
    return { variant, record, bot: stats };
  });
}

/** After a wave's last message_stop, its final edits: the targets' one round trip + 50 ms. */
export function finalEditAllowance(config: BenchConfig): number {
  return config.discord.latencyMs + 50;
}

/**
 * One whole answer first, in a channel of its own, so that the bot is measured as a running bot is:
 * connections open, code compiled. The naive bot's backlog would take minutes: its warm-up ends a
 * few round trips after message_stop, and that backlog trickles on at one edit a second.
 */
async function warmUp(
  processes: BenchProcesses,
  bot: ChildClient<BotProtocol>,
  config: BenchConfig,
  spec: ScenarioSpec,
): Promise<void> {
  const settleCapMs = 4 * config.discord.latencyMs + 100;
  await processes.fakes.request('warmUp', { settleCapMs, safetyMs: safetyMs(config, spec) });
  await bot.request('answered', { count: 1, timeoutMs: settleCapMs });
}

/** Far more than a working bot needs: answers of a channel run one after another, and load slows them. */
function safetyMs(config: BenchConfig, spec: ScenarioSpec): number {
  const answerMs = config.stream.ttftMs + deltasPerAnswer(config.stream) * config.stream.deltaMs;
  const longestQueue = (wave: readonly number[]) =>
    Math.max(...[...new Set(wave)].map((channel) => wave.filter((c) => c === channel).length));
  const waves = spec.waves.reduce((sum, wave) => sum + longestQueue(wave) * answerMs * 4, 0);
  return waves + spec.waves.length * config.settleCapMs + 60_000;
}
