import { describe, expect, it } from 'vitest';
import { TINY_CONFIG } from '../../bench/bench-config.js';
import { renderReport } from '../../bench/report.js';
import { runBench } from '../../bench/run-bench.js';
import { SOAK_FAULTS } from '../../bench/soak-protocol.js';

// The soak for a few seconds, so that it cannot rot: a real bot process against the fakes, faults
// injected, every count reported. No timing is asserted; what must hold whatever the machine's speed
// is asserted: every answer ends right, nothing is rejected unhandled.

describe('the soak', () => {
  it('runs for a few seconds with faults, and every answer ends showing what it must', async () => {
    const results = await runBench({ ...TINY_CONFIG, scenarios: ['soak'] });
    const soak = results.soak;
    expect(results.scenarios).toEqual([]);
    expect(soak?.record.asked).toBeGreaterThan(0);
    expect(soak?.record).toMatchObject({ wrong: 0, lost: 0, misses: [] });
    expect(soak?.record.right).toBe(soak?.record.asked);
    expect(soak?.bot.answered).toBe(soak?.record.asked);
    expect(soak?.bot.unhandledRejections).toBe(0);
    expect(soak?.bot.samples.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(soak?.record.cases ?? {}).sort()).toEqual(['none', ...SOAK_FAULTS].sort());

    const report = renderReport(results).join('\n');
    expect(report).toContain('== soak: 4 channels');
    expect(report).toMatch(/^RSS slope after warm-up .* MB\/min; heap .* MB\/min$/m);
    expect(report).toMatch(/^unhandled rejections in the bot 0 · 429s \d+$/m);
  }, 60_000);
});
