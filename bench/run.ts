import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, LONG_SCENARIOS, QUICK_CONFIG, SCENARIOS, scaleLevels } from './bench-config.js';
import type { BenchConfig, ScenarioName } from './bench-config.js';
import { runAdmissionBench } from './admission-bench.js';
import { runMetricsBench } from './metrics-bench.js';
import { renderReport } from './report.js';
import { runBench } from './run-bench.js';
import { runSlackStreamBench } from './slack-stream-bench.js';
import { slackStreamSection } from './slack-stream-report.js';

// npm run bench [-- --scenario one|twenty|shared|scale|ack|cache|status|all] [--questions N] [--streams N] [--quick] [...]
// npm run bench -- --scenario soak [--minutes 10] [--channels 50]
// npm run bench -- --scenario admission [--questions 5000]
// npm run bench -- --scenario metrics [--questions 100000]
// npm run bench -- --scenario slack [--quick] [--questions N] [--latency MS] (native streaming vs post + update)
// Progress goes to stderr, the report to stdout.

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    quick: { type: 'boolean', default: false },
    questions: { type: 'string' }, // questions asked at once in the shared scenario's one channel (default 5)
    streams: { type: 'string' }, // the scale scenario's target level (default 1000, quick 250)
    'max-streams': { type: 'string' }, // how far past --streams to look for the knee
    latency: { type: 'string' }, // Discord REST round trip, ms
    ttft: { type: 'string' }, // model time to first token, ms
    rate: { type: 'string' }, // text deltas per second
    chunk: { type: 'string' }, // characters per delta
    chars: { type: 'string' }, // characters per answer (< 2000)
    settle: { type: 'string' }, // ms to wait for a backlog after the last message_stop
    asks: { type: 'string' }, // /ask commands timed
    turns: { type: 'string' }, // turns of the prompt-cache conversation
    'scale-global': { type: 'string' }, // global requests/s in the scale runs
    spread: { type: 'string' }, // ms over which the scale runs' questions arrive
    'cpu-prof': { type: 'string' }, // write a CPU profile of every bot process to this directory
    minutes: { type: 'string' }, // how long the soak asks questions (default 10)
    channels: { type: 'string' }, // the soak's channels, one question in flight in each (default 50)
    'fault-chance': { type: 'string' }, // the soak's chance of each fault per question (default 0.05)
  },
});

function numberFlag(name: keyof typeof values, fallback: number, minimum = 1): number {
  const raw = values[name];
  if (typeof raw !== 'string') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum)
    throw new Error(`--${name} must be a number ≥ ${minimum}, got ${raw}`);
  return value;
}

function scenarios(raw: string): readonly ScenarioName[] {
  if (raw === 'all') return SCENARIOS;
  const known: readonly ScenarioName[] = [...SCENARIOS, ...LONG_SCENARIOS];
  const names = raw.split(',');
  const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--scenario: unknown ${unknown.join(', ')}; use ${known.join('|')}|all`);
  return known.filter((name) => names.includes(name));
}

function fraction(name: keyof typeof values, fallback: number): number {
  const value = numberFlag(name, fallback, 0);
  if (value > 0.25) throw new Error(`--${name} must be at most 0.25 (four faults), got ${value}`);
  return value;
}

function config(): BenchConfig {
  const base = values.quick ? QUICK_CONFIG : DEFAULT_CONFIG;
  const streams = numberFlag('streams', base.scale.levels.at(-1) ?? 1000);
  return {
    ...base,
    discord: { ...base.discord, latencyMs: numberFlag('latency', base.discord.latencyMs, 0) },
    stream: {
      ttftMs: numberFlag('ttft', base.stream.ttftMs, 0),
      deltaMs: 1000 / numberFlag('rate', 1000 / base.stream.deltaMs),
      chunkChars: numberFlag('chunk', base.stream.chunkChars),
      answerChars: Math.min(1999, numberFlag('chars', base.stream.answerChars)),
    },
    settleCapMs: numberFlag('settle', base.settleCapMs),
    scale: {
      levels: scaleLevels(streams),
      maxStreams: numberFlag('max-streams', streams * 2),
      refineSteps: base.scale.refineSteps,
      spreadMs: numberFlag('spread', base.scale.spreadMs, 0),
      globalPerSecond: numberFlag('scale-global', base.scale.globalPerSecond),
    },
    sharedAnswers: numberFlag('questions', base.sharedAnswers),
    asks: numberFlag('asks', base.asks),
    cacheTurns: numberFlag('turns', base.cacheTurns),
    soak: {
      ...base.soak,
      minutes: numberFlag('minutes', base.soak.minutes, 0.01),
      channels: numberFlag('channels', base.soak.channels),
      faultChance: fraction('fault-chance', base.soak.faultChance),
    },
    scenarios: scenarios(values.scenario),
    botExecArgv: values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`],
  };
}

const progress = (line: string) => process.stderr.write(`${line}\n`);
// A Slack Web API round trip from a server near Slack's (their API answers in about 100 ms).
const SLACK_LATENCY_MS = 100;
// In-process and quick: the cost of one admission check, on its own.
if (values.scenario === 'admission') {
  console.log((await runAdmissionBench(numberFlag('questions', 5000), progress)).join('\n'));
} else if (values.scenario === 'metrics') {
  console.log((await runMetricsBench(numberFlag('questions', 100_000), progress)).join('\n'));
} else if (values.scenario === 'slack') {
  // In-process too: Slack writes and lags of the same answers, streamed natively and posted + updated.
  const base = values.quick ? QUICK_CONFIG : DEFAULT_CONFIG;
  const answers = numberFlag('questions', values.quick ? 3 : 5);
  const settings = {
    stream: base.stream,
    latencyMs: numberFlag('latency', SLACK_LATENCY_MS, 0),
    sequential: answers,
    burst: 2 * answers,
  };
  console.log(slackStreamSection(await runSlackStreamBench(settings, progress), settings).join('\n'));
} else {
  const results = await runBench(config(), progress);
  console.log(renderReport(results).join('\n'));
}
