import { createMetrics } from '../src/ops/metrics.js';
import { renderTable } from './table.js';

// npm run bench -- --scenario metrics [--questions N]
// What watching costs: one telemetry event (a Discord write, an answer's end) as the Prometheus
// adapter records it, and one /metrics scrape (the registry rendered as text, default metrics
// included), measured in this process, one at a time.

const answer = {
  outcome: 'complete',
  failure: null,
  ttftMs: 820,
  durationMs: 6400,
  inputTokens: 1200,
  outputTokens: 400,
  cacheReadTokens: 5000,
  cacheCreationTokens: 300,
  searches: 1,
} as const;

export async function runMetricsBench(events: number, log: (line: string) => void): Promise<string[]> {
  const metrics = createMetrics();
  const { registry } = metrics;
  const telemetry = metrics.telemetryFor('discord');
  log(`metrics: ${events} events of each kind, ${Math.max(50, Math.round(events / 100))} scrapes`);
  const write = time(events, () => telemetry.platformWrite('edit', 'ok'));
  const slot = time(events, () => telemetry.slotGranted('edit', 12));
  const ended = time(events, () => telemetry.answerEnded(answer));
  const scrapes: number[] = [];
  let size = 0;
  for (let index = 0; index < Math.max(50, Math.round(events / 100)); index += 1) {
    const started = process.hrtime.bigint();
    size = (await registry.metrics()).length;
    scrapes.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return [
    'Metrics cost, in this process (median and p99)',
    ...renderTable([
      ['what', 'median µs', 'p99 µs'],
      ['a Discord write counted', ...figures(write)],
      ['a write slot wait observed', ...figures(slot)],
      ['an answer observed', ...figures(ended)],
      [`a /metrics scrape (${Math.round(size / 1024)} KB)`, ...figures(scrapes)],
    ]),
  ];
}

function time(count: number, action: () => void): number[] {
  const timings: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = process.hrtime.bigint();
    action();
    timings.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return timings;
}

function figures(timings: number[]): [string, string] {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
  return [at(0.5).toFixed(1), at(0.99).toFixed(1)];
}
