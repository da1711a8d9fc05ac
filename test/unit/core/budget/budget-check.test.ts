import { describe, expect, it } from 'vitest';
import { createBudgetCheck } from '../../../../src/core/budget/budget-check.js';
import type { BudgetLimits } from '../../../../src/core/budget/budget-limits.js';
import { NO_LIMITS } from '../../../../src/core/budget/budget-limits.js';
import { recordUsage } from '../../../../src/core/budget/usage-recorder.js';
import type { RequestWindows, UsageStore } from '../../../../src/core/ports/storage.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const NOON = Date.UTC(2026, 10, 24, 12);
const MIDNIGHT = Date.UTC(2026, 10, 25);

const inGuild: Question = { id: 'q1', channelId: 'c1', guildId: 'g1', authorId: 'u1', text: 'hi', remember: true };
const inDm: Question = { ...inGuild, channelId: 'dm1', guildId: null };

function setup(limits: Partial<BudgetLimits>, start = NOON) {
  const storage = createMemoryStorage({ keep: 10 });
  const clock = { t: start, now: () => clock.t, elapsed: () => clock.t };
  const takes: string[] = [];
  const reads: string[][] = [];
  // The memory stores, with what the check asks of them noted down.
  const requests: RequestWindows = {
    take: (key, limit, windowMs, now) => {
      takes.push(key);
      return storage.requests.take(key, limit, windowMs, now);
    },
  };
  const usage: UsageStore = {
    ...storage.usage,
    getMany: (keys) => {
      reads.push([...keys]);
      return storage.usage.getMany(keys);
    },
  };
  const check = createBudgetCheck({ usage, requests, limits: { ...NO_LIMITS, ...limits }, clock });
  const spend = (question: Question, outputTokens: number) =>
    recordUsage(
      storage.usage,
      question,
      { inputTokens: 0, outputTokens, cacheReadTokens: 0, cacheCreationTokens: 0 },
      clock.now(),
    );
  return { check, clock, storage, takes, reads, spend };
}

describe('budget check', () => {
  it('admits anything, reading nothing, when no limit is set', async () => {
    const { check, spend, takes, reads } = setup({});
    await spend(inGuild, 1_000_000);
    expect(await check(inGuild, false)).toBeNull();
    expect(takes).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('refuses once the user’s tokens today reach the limit exactly, saying when it resets', async () => {
    const { check, spend } = setup({ userDailyTokens: 100 });
    await spend(inGuild, 99);
    expect(await check(inGuild, false)).toBeNull();
    await spend(inGuild, 1);
    expect(await check(inGuild, false)).toEqual({ kind: 'user', limit: 100, used: 100, resetsAt: MIDNIGHT });
  });

  it('counts cache reads at their weight against the limit', async () => {
    const { check, storage } = setup({ userDailyTokens: 100 });
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 990, cacheCreationTokens: 0 };
    await recordUsage(storage.usage, inGuild, usage, NOON);
    expect(await check(inGuild, false)).toBeNull();
  });

  it('refuses everyone in a channel or a guild over its limit, other channels and guilds not', async () => {
    const channel = setup({ channelDailyTokens: 50 });
    await channel.spend({ ...inGuild, authorId: 'u2' }, 50);
    expect(await channel.check(inGuild, false)).toMatchObject({ kind: 'channel', limit: 50, used: 50 });
    expect(await channel.check({ ...inGuild, channelId: 'c2' }, false)).toBeNull();

    const guild = setup({ guildDailyTokens: 70 });
    await guild.spend({ ...inGuild, channelId: 'c2', authorId: 'u2' }, 70);
    expect(await guild.check(inGuild, false)).toMatchObject({ kind: 'guild', limit: 70, used: 70 });
    expect(await guild.check({ ...inGuild, guildId: 'g2' }, false)).toBeNull();
  });

  it("counts a thread's question against its parent channel's limit", async () => {
    const { check, spend } = setup({ channelDailyTokens: 50 });
    const inThread = (id: string) => ({ ...inGuild, channelId: id, budgetChannelId: 'c1' });
    await spend(inThread('thread-1'), 50);
    expect(await check(inThread('thread-2'), false)).toMatchObject({ kind: 'channel', limit: 50, used: 50 });
    expect(await check(inGuild, false)).toMatchObject({ kind: 'channel', used: 50 });
  });

  it('reads every limited counter in one round trip', async () => {
    const { check, reads } = setup({ userDailyTokens: 1, channelDailyTokens: 1, guildDailyTokens: 1 });
    await check(inGuild, false);
    expect(reads).toEqual([['user:u1:2026-11-24', 'channel:c1:2026-11-24', 'guild:g1:2026-11-24']]);
  });

  it('applies no guild limit to a DM', async () => {
    const { check, spend, reads } = setup({ userDailyTokens: 1000, guildDailyTokens: 10 });
    await spend(inGuild, 10);
    expect(await check(inGuild, false)).toMatchObject({ kind: 'guild' });
    reads.length = 0;
    expect(await check(inDm, false)).toBeNull();
    expect(reads).toEqual([['user:u1:2026-11-24']]);
  });

  it('starts the new UTC day from zero: refused at 23:59:59.999, admitted at midnight', async () => {
    const { check, spend, clock } = setup({ userDailyTokens: 100, channelDailyTokens: 100 });
    clock.t = MIDNIGHT - 1;
    await spend(inGuild, 100);
    expect(await check(inGuild, false)).toEqual({ kind: 'user', limit: 100, used: 100, resetsAt: MIDNIGHT });
    clock.t = MIDNIGHT;
    expect(await check(inGuild, false)).toBeNull();
  });

  it('lets exempt askers through every limit without touching their rate window', async () => {
    const { check, spend, takes, reads } = setup({ userDailyTokens: 10, userRequestsPerMinute: 1 });
    await spend(inGuild, 10);
    for (let i = 0; i < 3; i += 1) expect(await check(inGuild, true)).toBeNull();
    expect(takes).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('refuses the request past the per-minute rate and admits again in the next minute', async () => {
    const { check, clock } = setup({ userRequestsPerMinute: 3 }, NOON + 10_000);
    for (let i = 0; i < 3; i += 1) expect(await check(inGuild, false)).toBeNull();
    clock.t = NOON + 59_999;
    expect(await check(inGuild, false)).toEqual({ kind: 'rate', limit: 3, used: 3, resetsAt: NOON + 60_000 });
    expect(await check({ ...inGuild, authorId: 'u2' }, false)).toBeNull();
    clock.t = NOON + 60_000;
    expect(await check(inGuild, false)).toBeNull();
  });

  it('does not take from the rate for a question its tokens refuse', async () => {
    const { check, spend, takes } = setup({ channelDailyTokens: 10, userRequestsPerMinute: 1 });
    await spend({ ...inGuild, authorId: 'u2' }, 10);
    expect(await check(inGuild, false)).toMatchObject({ kind: 'channel' });
    expect(await check(inGuild, false)).toMatchObject({ kind: 'channel' });
    expect(takes).toEqual([]);
    // The same minute, in a channel with budget left: the person's one request is still there.
    const elsewhere = { ...inGuild, channelId: 'c2' };
    expect(await check(elsewhere, false)).toBeNull();
    expect(await check(elsewhere, false)).toMatchObject({ kind: 'rate', used: 1 });
  });
});
