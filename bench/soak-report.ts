import { formatNumber } from './format.js';
import type { RssSample } from './soak-protocol.js';
import { SOAK_FAULTS } from './soak-protocol.js';
import type { SoakResult } from './soak-runner.js';

// The soak's section of the report: memory over time and its trend once warm, and every count that
// must be zero.

// The first minute (or third of a shorter run) fills caches, pools and the JIT: not a trend.
const WARM_UP_MS = 60_000;
const POINTS = 11;

const clock = (ms: number) => {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};
const check = (ok: boolean) => (ok ? '✓' : '✗ MISSED');

export function warmUpMs(durationMs: number): number {
  return Math.min(WARM_UP_MS, durationMs / 3);
}

/** Least-squares slope of `value` over the samples, per minute; NaN with fewer than two. */
export function slopePerMinute(samples: readonly RssSample[], value: (sample: RssSample) => number): number {
  if (samples.length < 2) return Number.NaN;
  const xs = samples.map((sample) => sample.atMs / 60_000);
  const ys = samples.map(value);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, index) => {
    covariance += (x - meanX) * ((ys[index] ?? meanY) - meanY);
    variance += (x - meanX) ** 2;
  });
  return variance === 0 ? Number.NaN : covariance / variance;
}

/** About `count` samples spread evenly over the run, first and last included. */
function spread(samples: readonly RssSample[], count: number): RssSample[] {
  if (samples.length <= count) return [...samples];
  const indexes = new Set(
    Array.from({ length: count }, (_, index) => Math.round((index * (samples.length - 1)) / (count - 1))),
  );
  return [...indexes].map((index) => samples[index]).filter((sample): sample is RssSample => sample !== undefined);
}

const rateLimits = (by: Readonly<Record<string, number>>) =>
  Object.entries(by)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ');

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

export function soakSection(result: SoakResult): string[] {
  const { settings, record, bot, durationMs } = result;
  const warm = warmUpMs(durationMs);
  const afterWarmUp = bot.samples.filter((sample) => sample.atMs >= warm);
  const rssSlope = slopePerMinute(afterWarmUp, (sample) => sample.rssMb);
  const heapSlope = slopePerMinute(afterWarmUp, (sample) => sample.heapMb);
  const points = spread(bot.samples, POINTS).map(
    (sample) => `${clock(sample.atMs)} ${formatNumber(sample.rssMb)} (${formatNumber(sample.heapMb)})`,
  );
  const outcomes = Object.entries(bot.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, count]) => `${outcome} ${count}`);
  const faults = SOAK_FAULTS.map((fault) => `${fault} ${record.cases[fault]}`);
  const misses = record.misses.map(
    (miss) =>
      `  q${miss.tag} (${miss.fault}): expected ${JSON.stringify(miss.expected.slice(-60))}, ` +
      `showed ${JSON.stringify(miss.shown.slice(-60))}`,
  );
  const wrongOrLost = record.wrong + record.lost;
  return [
    '',
    `== soak: ${settings.channels} channels, one question in flight in each, ${formatNumber(settings.minutes)} min; ` +
      `each fault on ${formatNumber(settings.faultChance * 100)}% of questions (seed ${settings.seed}) ==`,
    `bot RSS over time, MB (heap in use after a full GC): ${points.join(' · ')}`,
    `RSS slope after warm-up (from ${clock(warm)}, ${afterWarmUp.length} samples): ${signed(rssSlope)} MB/min; ` +
      `heap ${signed(heapSlope)} MB/min`,
    `answers started ${record.asked}, finished ${bot.answered} (${outcomes.join(' · ') || 'none'})`,
    `final texts: right ${record.right}, wrong ${record.wrong}, lost ${record.lost}`,
    `faults met: ${faults.join(' · ')}; none ${record.cases.none}; Discord 500s sent ${record.injected500s}`,
    `unhandled rejections in the bot ${bot.unhandledRejections} · 429s ${record.rateLimited}` +
      (record.rateLimited > 0 ? ` (${rateLimits(record.rateLimitedBy)})` : ''),
    `targets: wrong or lost 0 ${check(wrongOrLost === 0)} · unhandled rejections 0 ${check(bot.unhandledRejections === 0)} · ` +
      `429s 0 ${check(record.rateLimited === 0)}`,
    ...(misses.length > 0 ? ['first answers that ended wrong or never ended:', ...misses] : []),
  ];
}
