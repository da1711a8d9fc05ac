import { describe, expect, it } from 'vitest';
import { TINY_CONFIG } from '../../bench/bench-config.js';
import type { Spread } from '../../bench/percentiles.js';
import { renderReport } from '../../bench/report.js';
import { runBench } from '../../bench/run-bench.js';
import type { VariantSummary } from '../../bench/variant-summary.js';

// The benchmark at a tiny scale, so that it cannot rot: every scenario runs end to end (real bot
// processes, real fakes) and every figure comes out. Timings are not asserted; the machine decides them.

function isSpread(value: unknown): value is Spread {
  return typeof value === 'object' && value !== null && 'median' in value && 'p95' in value;
}

/** Every figure of a run, by name: spreads as their median and p95. */
function figures(summary: VariantSummary): [string, number][] {
  return Object.entries(summary).flatMap(([name, value]: [string, unknown]): [string, number][] => {
    if (isSpread(value))
      return [
        [`${name}.median`, value.median.value],
        [`${name}.p95`, value.p95.value],
      ];
    return typeof value === 'number' ? [[name, value]] : [];
  });
}

function expectComplete(summary: VariantSummary): void {
  const broken = figures(summary).filter(([, value]) => !Number.isFinite(value));
  expect(broken, `${summary.variant}: figures that are not finite`).toEqual([]);
  expect(summary.answers).toBeGreaterThan(0);
}

describe('the benchmark', () => {
  it('runs every scenario at a tiny scale and prints every table', async () => {
    const results = await runBench(TINY_CONFIG);

    expect(results.scenarios.map((scenario) => scenario.spec.name)).toEqual(['one', 'twenty', 'shared']);
    for (const scenario of results.scenarios) {
      expect(scenario.runs.map((run) => run.variant)).toEqual(['ours', 'ours-no-reserve', 'naive']);
      scenario.runs.forEach(expectComplete);
    }
    const scale = results.scale;
    expect(scale?.levels.map((level) => level.streams)).toEqual(TINY_CONFIG.scale.levels);
    scale?.levels.forEach((level) => expectComplete(level.ours));
    expect(scale?.compared.runs.map((run) => run.variant)).toEqual(['ours', 'naive']);
    scale?.compared.runs.forEach(expectComplete);
    expect(results.acks).toHaveLength(TINY_CONFIG.asks);
    expect(results.acks?.every(Number.isFinite)).toBe(true);
    expect(results.cache?.map((row) => row.turn)).toEqual([1, 2]);
    expect(results.status?.map((row) => row.kind)).toEqual(['plain', 'thinking', 'search']);

    const report = renderReport(results).join('\n');
    for (const heading of [
      '== 1 channel',
      '== 2 channels at once',
      '== 2 answers asked at once in one channel',
      '== scale',
      '== 3 concurrent streams',
      '== /ask acknowledgement',
      '== Prompt cache over a 2-turn conversation',
      '== Status line',
    ]) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('final-edit reserve: costs');
    expect(report).toMatch(/^knee: /m);
    expect(report).not.toContain('n/a');
  }, 60_000);
});
