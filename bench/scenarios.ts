import type { BenchConfig } from './bench-config.js';
import type { ScenarioSpec } from './scenario-runner.js';
import type { BotVariant } from './settings.js';

// The scenarios of the issue, built from the configuration.

/** Ours, ours without the final-edit reserve (to price it), and the tutorial baseline. */
const COMPARED: readonly BotVariant[] = ['ours', 'ours-no-reserve', 'naive'];

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/**
 * One stream at a time, each answer in a channel of its own: N samples of a lone answer with the
 * channel's whole budget (back-to-back answers in one channel are the shared scenario's business).
 */
export function oneChannel(config: BenchConfig): ScenarioSpec {
  const answers = config.oneAnswers;
  return {
    name: 'one',
    title: `1 channel: one answer at a time (${answers}, each in a fresh channel)`,
    channels: answers,
    waves: range(answers).map((channel) => [channel]),
    variants: COMPARED,
    globalPerSecond: config.discord.globalPerSecond,
    spreadMs: 0,
  };
}

export function manyChannels(config: BenchConfig): ScenarioSpec {
  return {
    name: 'twenty',
    title: `${config.manyChannels} channels at once, one answer each`,
    channels: config.manyChannels,
    waves: [range(config.manyChannels)],
    variants: COMPARED,
    globalPerSecond: config.discord.globalPerSecond,
    spreadMs: 0,
  };
}

export function sharedChannel(config: BenchConfig): ScenarioSpec {
  return {
    name: 'shared',
    title: `${config.sharedAnswers} answers asked at once in one channel (one shared write budget)`,
    channels: 1,
    waves: [range(config.sharedAnswers).map(() => 0)],
    variants: COMPARED,
    globalPerSecond: config.discord.globalPerSecond,
    spreadMs: 0,
  };
}

export function scaleLevel(config: BenchConfig, streams: number, withNaive: boolean): ScenarioSpec {
  return {
    name: 'scale',
    title: `${streams} concurrent streams in one process, one per channel`,
    channels: streams,
    waves: [range(streams)],
    variants: withNaive ? ['ours', 'naive'] : ['ours'],
    globalPerSecond: config.scale.globalPerSecond,
    spreadMs: config.scale.spreadMs,
  };
}
