import { deltasPerAnswer } from './bench-config.js';
import type { BenchConfig } from './bench-config.js';
import { cacheShare } from './conversation-cache.js';
import type { CacheTurn } from './conversation-cache.js';
import { formatNumber, formatObservation, formatRatio } from './format.js';
import { exact, percentile, spreadOf } from './percentiles.js';
import type { Spread } from './percentiles.js';
import type { BenchResults } from './run-bench.js';
import type { ScaleResult } from './scale-runner.js';
import type { ScenarioResult } from './scenario-runner.js';
import type { BotVariant } from './settings.js';
import { soakSection } from './soak-report.js';
import { statusSection } from './status-report.js';
import { renderTable } from './table.js';
import { answerTargets } from './targets.js';
import type { TargetCheck } from './targets.js';
import type { VariantSummary } from './variant-summary.js';

// The printed report: settings, one table per scenario, the scale ladder and its knee, the /ask
// acknowledgement, and what every figure means.

const LABELS: Readonly<Record<BotVariant, string>> = {
  ours: 'ours',
  'ours-no-reserve': 'ours, reserve 0',
  naive: 'naive',
};

const SPREAD_ROWS: readonly (readonly [string, (summary: VariantSummary) => Spread])[] = [
  ["wait for the channel's turn, ms", (s) => s.turnWaitMs],
  ['placeholder visible after the mention, ms', (s) => s.placeholderMs],
  ['overhead to first visible text, ms', (s) => s.overheadMs],
  ['  of it: first delta → first visible text, ms', (s) => s.firstShowMs],
  ['staleness while streaming, ms', (s) => s.stalenessMs],
  ['message_stop → whole answer visible, ms', (s) => s.finalLagMs],
  ['edits per answer', (s) => s.edits],
  ['REST calls per answer', (s) => s.restCalls],
  ['429s per answer', (s) => s.rateLimitedPerAnswer],
];

const SINGLE_ROWS: readonly (readonly [string, (summary: VariantSummary) => number])[] = [
  ['429s in the whole run', (s) => s.rateLimited],
  ['bot CPU per 1000 text deltas, ms', (s) => s.cpuMsPer1000Deltas],
  ['bot CPU, % of one core', (s) => s.cpuShare * 100],
  ['bot peak RSS, MB', (s) => s.peakRssMb],
  ['  RSS before the run, MB', (s) => s.startRssMb],
  ['bot event-loop delay p99, ms', (s) => s.eventLoopP99Ms],
];

export function renderReport(results: BenchResults): string[] {
  const { config } = results;
  return [
    ...header(config),
    ...results.scenarios.flatMap((scenario) => scenarioSection(scenario, config)),
    ...(results.scale ? scaleSection(results.scale, config) : []),
    ...(results.acks ? ackSection(results.acks) : []),
    ...(results.cache ? cacheSection(results.cache) : []),
    ...(results.soak ? soakSection(results.soak) : []),
    ...(results.status ? statusSection(results.status, config) : []),
    ...definitions(config),
  ];
}

function header(config: BenchConfig): string[] {
  const { discord, stream } = config;
  const bucket = (b: { limit: number; windowMs: number }) => `${b.limit} per ${b.windowMs} ms`;
  return [
    'streamcord bench: the real bot against loopback fakes, next to a tutorial-style baseline',
    '',
    `Discord    REST round trip ${discord.latencyMs} ms (a request takes effect as it arrives; the answer comes back`,
    `           ${discord.latencyMs} ms later). Per channel: creates and edits together ${bucket(discord.channelBucket)}.`,
    `           Global ${discord.globalPerSecond} requests/s (lifted for the scale runs).`,
    `Model      TTFT ${stream.ttftMs} ms, then a ${stream.chunkChars}-character delta every ${formatNumber(stream.deltaMs)} ms ` +
      `(${formatNumber(1000 / stream.deltaMs)}/s); answers of ${stream.answerChars} characters, ` +
      `${deltasPerAnswer(stream)} deltas.`,
    'Bots       ours: createBot (src/bot.ts). ours, reserve 0: the same with finalEditReserve: 0.',
    `           naive: reply, then p-throttle(${bucket(discord.channelBucket)}) around an edit on every text event`,
    '           (queues every call), and a last edit through it after finalMessage().',
    'Processes  each bot alone in its own process (compiled JavaScript, warmed up by one answer elsewhere);',
    '           both fakes in another. A wave of questions ends when every reply shows its whole answer, or',
    `           ${config.settleCapMs} ms after its last message_stop: figures not reached by then are lower bounds (">N").`,
  ];
}

function scenarioSection(result: ScenarioResult, config: BenchConfig): string[] {
  const { runs } = result;
  const ours = runs.find((run) => run.variant === 'ours');
  const naive = runs.find((run) => run.variant === 'naive');
  const ratio = ours !== undefined && naive !== undefined;
  const heading = ['', ...runs.flatMap((run) => [LABELS[run.variant], '']), ...(ratio ? ['ours/naive', ''] : [])];
  const subheading = ['', ...[...runs, ...(ratio ? [undefined] : [])].flatMap(() => ['median', 'p95'])];
  const spreadRows = SPREAD_ROWS.map(([label, pick]) => [
    label,
    ...runs.flatMap((run) => [formatObservation(pick(run).median), formatObservation(pick(run).p95)]),
    ...(ours && naive ? ratios(pick(ours), pick(naive)) : []),
  ]);
  const singleRows = SINGLE_ROWS.map(([label, pick]) => [
    label,
    ...runs.flatMap((run) => [formatNumber(pick(run)), '']),
    ...(ours && naive ? [formatRatio(exact(pick(ours)), exact(pick(naive))), ''] : []),
  ]);
  return [
    '',
    `== ${result.spec.title} ==`,
    '',
    ...renderTable([heading, subheading, ...spreadRows, ...singleRows]),
    ...(ours ? notes(result, ours, config) : []),
  ];
}

function ratios(ours: Spread, naive: Spread): string[] {
  return [formatRatio(ours.median, naive.median), formatRatio(ours.p95, naive.p95)];
}

function notes(result: ScenarioResult, ours: VariantSummary, config: BenchConfig): string[] {
  const noReserve = result.runs.find((run) => run.variant === 'ours-no-reserve');
  const lines = [`targets (ours): ${describeChecks(answerTargets(ours, config.discord.latencyMs))}`];
  if (result.spec.channels === 1 && ours.answers > 1 && ours.writeSpanMs > 0) lines.push(channelLoad(ours, config));
  if (noReserve) lines.push(reserveCost(ours, noReserve));
  for (const run of result.runs) {
    if (run.givenUp > 0) {
      lines.push(
        `${LABELS[run.variant]}: ${run.givenUp} of ${run.answers} answers still incomplete ${config.settleCapMs} ms after message_stop`,
      );
    }
  }
  lines.push(harness(ours, config));
  return lines;
}

export function describeChecks(checks: readonly TargetCheck[]): string {
  return checks
    .map((c) => `${c.label} ${formatNumber(c.actual)} ≤ ${formatNumber(c.limit)} ${c.met ? 'met' : 'MISSED'}`)
    .join('; ');
}

/** How full one channel's bucket ran: what an answer's first text waits for when others share it. */
function channelLoad(ours: VariantSummary, config: BenchConfig): string {
  const { limit, windowMs } = config.discord.channelBucket;
  // Fixed windows from the first write: as many as the writes span, each holding `limit`.
  const fits = limit * (Math.floor(ours.writeSpanMs / windowMs) + 1);
  return (
    `channel bucket (ours): ${ours.writes} writes (placeholders and edits) in ${formatNumber(ours.writeSpanMs / 1000)} s, ` +
    `where at most ${fits} fit (${limit} per ${windowMs} ms): once a window is full, an answer's first text ` +
    "waits for the channel's next window, and that wait counts as overhead"
  );
}

function reserveCost(ours: VariantSummary, noReserve: VariantSummary): string {
  const diff = (pick: (s: VariantSummary) => Spread, at: 'median' | 'p95') =>
    formatSigned(pick(ours)[at].value - pick(noReserve)[at].value);
  return (
    `final-edit reserve: costs ${diff((s) => s.stalenessMs, 'median')} ms staleness at the median, ` +
    `${diff((s) => s.stalenessMs, 'p95')} ms at p95; without it the whole answer showed ` +
    `${formatObservation(noReserve.finalLagMs.p95)} ms after message_stop (p95), with it ${formatObservation(ours.finalLagMs.p95)} ms`
  );
}

function formatSigned(value: number): string {
  return `${value >= 0 ? '+' : ''}${formatNumber(value)}`;
}

function harness(summary: VariantSummary, config: BenchConfig): string {
  return (
    `harness (ours' run): model TTFT ${formatNumber(summary.modelTtftMs)} ms, ` +
    `${formatNumber(summary.deliveredPerSecond)} deltas/s delivered per stream (configured ` +
    `${formatNumber(1000 / config.stream.deltaMs)}); fakes process CPU ${formatNumber(summary.fakesCpuShare * 100)}% ` +
    `of a core, event-loop delay p99 ${formatNumber(summary.fakesEventLoopP99Ms)} ms`
  );
}

function scaleSection(scale: ScaleResult, config: BenchConfig): string[] {
  const heading = [
    'streams',
    'CPU %',
    'CPU/1000 deltas ms',
    'peak RSS MB',
    'loop p99 ms',
    'overhead p95',
    'staleness p95',
    'final lag p95',
    '429s',
    'model pace %',
    'fakes CPU %',
    'targets',
  ];
  const rows = scale.levels.map(({ streams, ours, checks }) => [
    String(streams),
    formatNumber(ours.cpuShare * 100),
    formatNumber(ours.cpuMsPer1000Deltas),
    formatNumber(ours.peakRssMb),
    formatNumber(ours.eventLoopP99Ms),
    formatObservation(ours.overheadMs.p95),
    formatObservation(ours.stalenessMs.p95),
    formatObservation(ours.finalLagMs.p95),
    String(ours.rateLimited),
    formatNumber((ours.deliveredPerSecond * config.stream.deltaMs) / 10),
    formatNumber(ours.fakesCpuShare * 100),
    checks.every((c) => c.met)
      ? 'all met'
      : `missed ${checks
          .filter((c) => !c.met)
          .map((c) => c.short)
          .join(', ')}`,
  ]);
  return [
    '',
    `== scale: ours with more and more concurrent streams in one process, one per channel ==`,
    `   The questions arrive evenly over ${config.scale.spreadMs} ms. The global limit is lifted to ` +
      `${config.scale.globalPerSecond} requests/s`,
    '   (fake and discord.js): a bot this size is sharded and has a raised limit; per-channel buckets stay.',
    '   Knee criteria: loop p99 ≤ 20 ms, peak RSS ≤ 300 MB, final lag p95 ≤ RTT + 50 ms, no 429.',
    '   Model pace: deltas delivered per second per stream, as a share of the configured rate.',
    '',
    ...renderTable([heading, ...rows]),
    knee(scale),
    ...scenarioSection(scale.compared, config),
  ];
}

function knee(scale: ScaleResult): string {
  const within = scale.lastWithinTargets;
  const miss = scale.firstMiss;
  const missedLevel = scale.levels.find((level) => level.streams === miss);
  const what = missedLevel?.checks
    .filter((c) => !c.met)
    .map((c) => `${c.label} ${formatNumber(c.actual)} > ${formatNumber(c.limit)}`)
    .join(', ');
  if (miss === undefined) return `knee: not reached; ours met every target up to ${within ?? 0} streams`;
  if (within === undefined) return `knee: below ${miss} streams, the fewest tried (${what})`;
  return `knee: between ${within} streams (every target met) and ${miss} (${what})`;
}

function ackSection(acks: readonly number[]): string[] {
  const observations = acks.map(exact);
  return [
    '',
    `== /ask acknowledgement: INTERACTION_CREATE → deferral request, ${acks.length} commands one after another ==`,
    '',
    `median ${formatObservation(percentile(observations, 0.5))} ms, p95 ${formatObservation(spreadOf(acks).p95)} ms, ` +
      `max ${formatNumber(Math.max(...acks))} ms (Discord's limit: 3000 ms)`,
  ];
}

function cacheSection(rows: readonly CacheTurn[]): string[] {
  const table = rows.map((row) => [
    String(row.turn),
    String(row.input),
    String(row.cacheRead),
    String(row.cacheCreation),
  ]);
  return [
    '',
    `== Prompt cache over a ${rows.length}-turn conversation in one channel (input tokens per request) ==`,
    '',
    ...renderTable([['turn', 'uncached', 'cache read', 'cache write'], ...table]),
    `cache-read share of all input tokens: ${formatNumber(cacheShare(rows) * 100)} %`,
  ];
}

function definitions(config: BenchConfig): string[] {
  const roundTrip = config.discord.latencyMs;
  return [
    '',
    'What the figures mean (timings on the fakes\' one clock; "visible": when the fake applied the request):',
    "  turn wait    mention (MESSAGE_CREATE sent to the bot) → the start of the answer's turn: answers in one",
    '               channel stream one at a time, so a turn starts at the mention or when the answer before it',
    '               ended (its whole text visible), whichever is later. Shown apart: it is the queue, not overhead.',
    "  placeholder  mention → the reply's first message visible: how soon a question is acknowledged.",
    "  overhead     start of the answer's turn → first visible answer text, minus the model's TTFT (its",
    "               request → its first delta). What the bot does between two answers' turns stays counted.",
    '  staleness    sampled at every delta the model sends: how long ago the oldest text not yet visible was',
    '               sent (0 when the reply shows everything sent so far); pooled over all answers.',
    '  final lag    message_stop → the whole answer visible.',
    '  edits        successful edits of the reply. REST calls: its POST and every edit attempt, 429s included.',
    '  bot CPU and  measured inside the bot process while the waves stream (first question → last message_stop',
    `  loop delay   + ${roundTrip + 50} ms for the final edits); loop delay: how late a 10 ms timer fires. Peak RSS: the`,
    "               process's high-water mark. CPU counts every thread (GC and compiler ones too).",
    `  targets      overhead p95 ≤ RTT + 30 ms, final lag p95 ≤ RTT + 50 ms, no 429 (RTT = ${roundTrip} ms); at`,
    '               scale also loop p99 ≤ 20 ms and peak RSS ≤ 300 MB.',
  ];
}
