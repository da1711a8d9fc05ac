import type { BenchConfig } from './bench-config.js';
import type { BenchProcesses } from './bench-processes.js';
import { finalEditAllowance, runVariant } from './scenario-runner.js';
import type { ScenarioResult } from './scenario-runner.js';
import { scaleLevel } from './scenarios.js';
import { scaleTargets } from './targets.js';
import type { TargetCheck } from './targets.js';
import { summarize } from './variant-summary.js';
import type { VariantSummary } from './variant-summary.js';

// The knee: ours at more and more concurrent streams in one process. Every requested level runs;
// past the last one the count grows by half while every target holds (up to the ceiling); then the
// gap between the most streams within target and the fewest that missed is halved a few times.
// The naive bot runs once, at the last requested level, for comparison.

export interface ScaleLevel {
  readonly streams: number;
  readonly ours: VariantSummary;
  readonly checks: readonly TargetCheck[];
}

export interface ScaleResult {
  /** By number of streams. */
  readonly levels: readonly ScaleLevel[];
  /** Ours and naive at the last requested level, as a scenario of its own. */
  readonly compared: ScenarioResult;
  /** The fewest streams at which ours missed a target, and the most below that at which it met all. */
  readonly firstMiss: number | undefined;
  readonly lastWithinTargets: number | undefined;
}

type Log = (line: string) => void;

export async function runScale(processes: BenchProcesses, config: BenchConfig, log: Log): Promise<ScaleResult> {
  const levels: ScaleLevel[] = [];
  const run = async (streams: number): Promise<ScaleLevel> => {
    const level = await runLevel(processes, config, streams, log);
    levels.push(level);
    return level;
  };
  for (const streams of config.scale.levels) await run(streams);
  const top = config.scale.levels.at(-1) ?? 1;
  const compared = await compare(processes, config, top, levels, log);
  let last = levels.at(-1);
  while (
    last !== undefined &&
    withinTargets(last.checks) &&
    Math.round(last.streams * 1.5) <= config.scale.maxStreams
  ) {
    last = await run(Math.round(last.streams * 1.5));
  }
  for (let step = 0; step < config.scale.refineSteps; step += 1) {
    const { firstMiss, lastWithinTargets } = knee(levels);
    if (firstMiss === undefined || lastWithinTargets === undefined || firstMiss <= lastWithinTargets * 1.2) break;
    await run(Math.round((firstMiss + lastWithinTargets) / 2));
  }
  levels.sort((a, b) => a.streams - b.streams);
  return { levels, compared, ...knee(levels) };
}

async function runLevel(
  processes: BenchProcesses,
  config: BenchConfig,
  streams: number,
  log: Log,
): Promise<ScaleLevel> {
  const spec = scaleLevel(config, streams, false);
  log(`${spec.title}: ours…`);
  const ours = summarize(await runVariant(processes, config, spec, 'ours'), finalEditAllowance(config));
  return { streams, ours, checks: scaleTargets(ours, config.discord.latencyMs) };
}

async function compare(
  processes: BenchProcesses,
  config: BenchConfig,
  streams: number,
  levels: readonly ScaleLevel[],
  log: Log,
): Promise<ScenarioResult> {
  const spec = scaleLevel(config, streams, true);
  const ours = levels.find((level) => level.streams === streams)?.ours;
  if (ours === undefined) throw new Error(`scale: ours did not run at ${streams} streams`);
  log(`${spec.title}: naive…`);
  const naive = await runVariant(processes, config, spec, 'naive');
  return { spec, runs: [ours, summarize(naive, finalEditAllowance(config))] };
}

const withinTargets = (checks: readonly TargetCheck[]): boolean => checks.every((check) => check.met);

function knee(levels: readonly ScaleLevel[]): Pick<ScaleResult, 'firstMiss' | 'lastWithinTargets'> {
  const missed = levels.filter((level) => !withinTargets(level.checks)).map((level) => level.streams);
  const firstMiss = missed.length > 0 ? Math.min(...missed) : undefined;
  const within = levels
    .filter((level) => withinTargets(level.checks) && (firstMiss === undefined || level.streams < firstMiss))
    .map((level) => level.streams);
  return { firstMiss, lastWithinTargets: within.length > 0 ? Math.max(...within) : undefined };
}
