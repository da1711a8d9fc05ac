import { describe, expect, it } from 'vitest';
import type { BudgetLimits } from '../../../../src/core/budget/budget-limits.js';
import { NO_LIMITS } from '../../../../src/core/budget/budget-limits.js';
import { recordUsage } from '../../../../src/core/budget/usage-recorder.js';
import { usageReport } from '../../../../src/core/budget/usage-report.js';
import type { UsageViewer } from '../../../../src/core/budget/usage-report.js';
import type { TokenUsage } from '../../../../src/core/ports/model.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const NOON = Date.UTC(2026, 10, 24, 12);
const MIDNIGHT = Date.UTC(2026, 10, 25);

const names = { channel: (id: string) => `#${id}`, user: (id: string) => `@${id}` };

function setup(limits: Partial<BudgetLimits> = {}) {
  const storage = createMemoryStorage({ keep: 10 });
  const clock = { t: NOON, now: () => clock.t, elapsed: () => clock.t };
  const deps = { usage: storage.usage, limits: { ...NO_LIMITS, ...limits }, clock, names };
  const spend = (
    where: { channelId: string; authorId: string; guildId?: string | null },
    usage: Partial<TokenUsage>,
  ) => {
    const question: Question = { id: 'q', guildId: 'g1', text: 'hi', remember: true, ...where };
    const counts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, ...usage };
    return recordUsage(storage.usage, question, counts, clock.now());
  };
  const report = (viewer: Partial<UsageViewer> = {}) =>
    usageReport(deps, { userId: 'u1', channelId: 'c1', guildId: 'g1', isAdmin: false, ...viewer });
  return { spend, report, clock };
}

describe('usageReport', () => {
  it('shows a member their tokens today as Claude reported them, and when the day resets', async () => {
    const { spend, report } = setup();
    await spend({ channelId: 'c1', authorId: 'u1' }, { inputTokens: 1200, outputTokens: 345, cacheReadTokens: 10_000 });
    await spend({ channelId: 'c2', authorId: 'u1' }, { cacheCreationTokens: 800 });
    await spend({ channelId: 'c1', authorId: 'u2' }, { outputTokens: 99_999 });
    // 1,200 + 345 + 10,000 × 0.1 + 800 × 1.25
    expect((await report()).split('\n')).toEqual([
      '**Your use today** (UTC, resets in 12 h)',
      'You: 3,545 tokens (no daily limit)',
      '-# 1,200 input · 345 output · 10,000 cache read (counted at 0.1×) · 800 cache write (1.25×)',
    ]);
  });

  it('shows each limit that is set against what was used', async () => {
    const { spend, report } = setup({
      userDailyTokens: 50_000,
      channelDailyTokens: 200_000,
      guildDailyTokens: 1_000_000,
      userRequestsPerMinute: 4,
    });
    await spend({ channelId: 'c1', authorId: 'u1' }, { inputTokens: 1000 });
    await spend({ channelId: 'c1', authorId: 'u2' }, { outputTokens: 2000 });
    await spend({ channelId: 'c2', authorId: 'u2' }, { outputTokens: 4000 });
    const lines = (await report()).split('\n');
    expect(lines).toContain('You: 1,000 of 50,000 tokens');
    expect(lines).toContain('This channel: 3,000 of 200,000 tokens');
    expect(lines).toContain('This server: 7,000 of 1,000,000 tokens');
    expect(lines).toContain('You may ask up to 4 questions a minute.');
  });

  it('starts from zero on the new UTC day', async () => {
    const { spend, report, clock } = setup({ userDailyTokens: 100 });
    clock.t = MIDNIGHT - 1;
    await spend({ channelId: 'c1', authorId: 'u1' }, { outputTokens: 100 });
    expect(await report()).toContain('You: 100 of 100 tokens');
    clock.t = MIDNIGHT;
    const text = await report();
    expect(text).toContain('You: 0 of 100 tokens');
    expect(text).toContain('resets in 24 h');
  });

  it('shows a member nothing of the server', async () => {
    const { spend, report } = setup();
    await spend({ channelId: 'c2', authorId: 'u2' }, { outputTokens: 5000 });
    const text = await report();
    expect(text).not.toContain('This server');
    expect(text).not.toContain('@u2');
    expect(text).not.toContain('#c2');
  });

  it('shows an admin the server’s total, its top channels and members in order, and the cache-read share', async () => {
    const { spend, report } = setup();
    await spend({ channelId: 'c1', authorId: 'u1' }, { inputTokens: 100, cacheReadTokens: 3000 });
    await spend({ channelId: 'c2', authorId: 'u2' }, { inputTokens: 500, cacheCreationTokens: 400 });
    await spend({ channelId: 'c3', authorId: 'u2' }, { inputTokens: 200 });
    await spend({ channelId: 'c3', authorId: 'u3' }, { outputTokens: 50 });
    await spend({ channelId: 'x', authorId: 'u9', guildId: 'g2' }, { outputTokens: 9999 });
    const lines = (await report({ isAdmin: true })).split('\n');
    // Input: 100 + 500 + 200 fresh, 3,000 read, 400 written: 3,000 / 4,200 read from the cache.
    expect(lines.slice(lines.indexOf('') + 1)).toEqual([
      '**This server today**: 1,650 tokens',
      '-# 800 input · 50 output · 3,000 cache read (counted at 0.1×) · 400 cache write (1.25×)',
      'Cache-read share: 71% of input tokens came from the prompt cache.',
      '**Top channels**: 1. #c2 1,000 · 2. #c1 400 · 3. #c3 250',
      '**Top members**: 1. @u2 1,200 · 2. @u1 400 · 3. @u3 50',
    ]);
  });

  it('ranks channels and members by exactly what their counters say, however the answers round', async () => {
    const { spend, report } = setup({ userDailyTokens: 1_000_000 });
    // Each answer weighs 100 + 12,345 × 0.1 = 1,334.5 tokens; four weigh 5,338, not 4 × 1,335.
    for (let i = 0; i < 4; i += 1)
      await spend({ channelId: 'c1', authorId: 'u1' }, { outputTokens: 100, cacheReadTokens: 12_345 });
    const lines = (await report({ isAdmin: true })).split('\n');
    expect(lines).toContain('You: 5,338 of 1,000,000 tokens');
    expect(lines).toContain('**This server today**: 5,338 tokens');
    expect(lines.slice(-2)).toEqual(['**Top channels**: 1. #c1 5,338', '**Top members**: 1. @u1 5,338']);
  });

  it('ranks at most the five biggest channels and members', async () => {
    const { spend, report } = setup();
    for (let i = 1; i <= 7; i += 1) await spend({ channelId: `c${i}`, authorId: `u${i}` }, { outputTokens: i * 10 });
    const lines = (await report({ isAdmin: true })).split('\n');
    expect(lines.slice(-2)).toEqual([
      '**Top channels**: 1. #c7 70 · 2. #c6 60 · 3. #c5 50 · 4. #c4 40 · 5. #c3 30',
      '**Top members**: 1. @u7 70 · 2. @u6 60 · 3. @u5 50 · 4. @u4 40 · 5. @u3 30',
    ]);
  });

  it('says so when the server has used nothing yet today', async () => {
    const { report } = setup();
    const text = await report({ isAdmin: true });
    expect(text).toContain('**This server today**: 0 tokens');
    expect(text).toContain('Cache-read share: 0% of input tokens came from the prompt cache.');
    expect(text).toContain('**Top channels**: none yet');
  });

  it('shows an admin in a DM their own use, and no server section', async () => {
    const { spend, report } = setup({ guildDailyTokens: 10 });
    await spend({ channelId: 'dm1', authorId: 'u1', guildId: null }, { outputTokens: 30 });
    const text = await report({ isAdmin: true, channelId: 'dm1', guildId: null });
    expect(text).toContain('You: 30 tokens (no daily limit)');
    expect(text).not.toContain('This server:');
    expect(text).toContain('Server totals are shown when /usage is run in a server.');
  });
});
