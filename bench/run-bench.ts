import type { BenchConfig } from './bench-config.js';
import { runAcks } from './ack-runner.js';
import { conversationCache } from './conversation-cache.js';
import type { CacheTurn } from './conversation-cache.js';
import { startBenchProcesses } from './bench-processes.js';
import { runScale } from './scale-runner.js';
import type { ScaleResult } from './scale-runner.js';
import { runScenario } from './scenario-runner.js';
import type { ScenarioResult } from './scenario-runner.js';
import { manyChannels, oneChannel, sharedChannel } from './scenarios.js';
import { runSoak } from './soak-runner.js';
import { statusLineCost } from './status-line-cost.js';
import type { StatusCost } from './status-line-cost.js';
import type { SoakResult } from './soak-runner.js';

// The whole bench, programmatically: the CLI (bench/run.ts) and the test both call this.

export interface BenchResults {
  readonly config: BenchConfig;
  readonly scenarios: readonly ScenarioResult[];
  readonly scale: ScaleResult | undefined;
  /** /ask acknowledgements, ms. */
  readonly acks: readonly number[] | undefined;
  /** Input tokens per turn of one conversation: uncached, read from and written to the prompt cache. */
  readonly cache: readonly CacheTurn[] | undefined;
  readonly soak: SoakResult | undefined;
  /** Edits per answer: plain, after thinking, after a web search. */
  readonly status: readonly StatusCost[] | undefined;
}

export async function runBench(config: BenchConfig, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const wanted = new Set(config.scenarios);
  log('compiling the bot and starting the fakes…');
  const processes = await startBenchProcesses();
  try {
    const specs = [
      ...(wanted.has('one') ? [oneChannel(config)] : []),
      ...(wanted.has('twenty') ? [manyChannels(config)] : []),
      ...(wanted.has('shared') ? [sharedChannel(config)] : []),
    ];
    const scenarios: ScenarioResult[] = [];
    for (const spec of specs) scenarios.push(await runScenario(processes, config, spec, log));
    const scale = wanted.has('scale') ? await runScale(processes, config, log) : undefined;
    if (wanted.has('ack')) log('/ask acknowledgements…');
    const acks = wanted.has('ack') ? await runAcks(processes, config) : undefined;
    if (wanted.has('cache')) log('prompt cache over a conversation…');
    // Token counts, not timings: this one runs the bot in this process, on the e2e harness.
    const cache = wanted.has('cache') ? await conversationCache(config.cacheTurns) : undefined;
    const soak = wanted.has('soak') ? await runSoak(processes, config, log) : undefined;
    if (wanted.has('status')) log('what the status line costs…');
    // Edit counts, not timings: in this process too, on the e2e harness.
    const status = wanted.has('status') ? await statusLineCost(config) : undefined;
    return { config, scenarios, scale, acks, cache, soak, status };
  } finally {
    await processes.fakes.close();
  }
}
