import { describe, expect, it } from 'vitest';
import { runSlackStreamBench } from '../../bench/slack-stream-bench.js';
import { slackStreamSection } from '../../bench/slack-stream-report.js';

// Keeps `npm run bench -- --scenario slack` runnable: both modes at a tiny scale, every answer exact.

const TINY = {
  stream: { ttftMs: 20, deltaMs: 5, chunkChars: 4, answerChars: 120 },
  latencyMs: 5,
  sequential: 1,
  burst: 2,
};

describe('the Slack streaming bench', () => {
  it('streams natively and posts + updates the same answers, and prints the comparison', async () => {
    const runs = await runSlackStreamBench(TINY, () => {});
    expect(runs.map((run) => `${run.mode} ${run.shape}`)).toEqual([
      'native sequential',
      'native burst',
      'fallback sequential',
      'fallback burst',
    ]);
    for (const run of runs) {
      expect(run.answers).toHaveLength(run.shape === 'sequential' ? 1 : 2);
      for (const answer of run.answers) {
        expect(answer.exact).toBe(true);
        expect(answer.textWrites).toBeGreaterThanOrEqual(1);
        expect(Number.isFinite(answer.finalLagMs)).toBe(true);
      }
    }
    const table = slackStreamSection(runs, TINY).join('\n');
    expect(table).toContain('message_stop → final write at Slack, ms');
    expect(table).toContain('fallback, 2 at once');
  });
});
