import { describe, expect, it } from 'vitest';
import { budgetTokens } from '../../../../src/core/budget/budget-tokens.js';
import { recordUsage } from '../../../../src/core/budget/usage-recorder.js';
import { usageKeys } from '../../../../src/core/budget/usage-keys.js';
import type { TokenUsage } from '../../../../src/core/ports/model.js';
import type { UsageStore } from '../../../../src/core/ports/storage.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const DAY = '2026-11-24';
const NOON = Date.UTC(2026, 10, 24, 12);

const question = (channelId: string, authorId: string, guildId: string | null): Question => ({
  id: `q-${channelId}-${authorId}`,
  channelId,
  guildId,
  authorId,
  text: 'hi',
  remember: true,
});

const used = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheCreationTokens = 0): TokenUsage => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheCreationTokens,
});

// The memory store, with every key written to noted down.
function recordingStore(): { store: UsageStore; added: string[]; ranked: string[] } {
  const store = createMemoryStorage({ keep: 10 }).usage;
  const added: string[] = [];
  const ranked: string[] = [];
  return {
    added,
    ranked,
    store: {
      ...store,
      add: (key, tokens) => {
        added.push(key);
        return store.add(key, tokens);
      },
      rank: (ranking, member, amount) => {
        ranked.push(ranking);
        return store.rank(ranking, member, amount);
      },
    },
  };
}

// Rankings hold budget units: twentieths of a budget token, so that weights add up exactly.
const UNITS = 20;

describe('recordUsage', () => {
  it('adds an answer’s tokens to the day’s total, channel, user and guild counters', async () => {
    const { store } = recordingStore();
    await recordUsage(store, question('c1', 'u1', 'g1'), used(100, 50, 1000, 40), NOON);
    await recordUsage(store, question('c1', 'u2', 'g1'), used(10, 5), NOON);
    const both = { input: 110, output: 55, cacheRead: 1000, cacheCreation: 40 };
    expect(await store.get(usageKeys.total(DAY))).toEqual(both);
    expect(await store.get(usageKeys.channel('c1', DAY))).toEqual(both);
    expect(await store.get(usageKeys.guild('g1', DAY))).toEqual(both);
    expect(await store.get(usageKeys.user('u1', DAY))).toEqual({
      input: 100,
      output: 50,
      cacheRead: 1000,
      cacheCreation: 40,
    });
  });

  it('ranks the guild’s channels and members by budget tokens', async () => {
    const { store } = recordingStore();
    await recordUsage(store, question('c1', 'u1', 'g1'), used(100, 50, 1000, 40), NOON);
    await recordUsage(store, question('c2', 'u1', 'g1'), used(300, 0), NOON);
    await recordUsage(store, question('c2', 'u2', 'g1'), used(1, 1), NOON);
    // 100 + 50 + 1000 × 0.1 + 40 × 1.25 = 300
    expect(await store.top(usageKeys.guildChannels('g1', DAY), 5)).toEqual([
      { member: 'c2', score: 302 * UNITS },
      { member: 'c1', score: 300 * UNITS },
    ]);
    expect(await store.top(usageKeys.guildUsers('g1', DAY), 5)).toEqual([
      { member: 'u1', score: 600 * UNITS },
      { member: 'u2', score: 2 * UNITS },
    ]);
  });

  it('keeps a ranking equal to its counter’s budget tokens when answers weigh fractions of a token', async () => {
    const { store } = recordingStore();
    // 0.5 of a token each, 30 answers at once: 15 tokens, not 30 rounded-up halves.
    const asks = Array.from({ length: 30 }, () => recordUsage(store, question('c1', 'u1', 'g1'), used(0, 0, 5), NOON));
    await Promise.all(asks);
    expect(budgetTokens(await store.get(usageKeys.channel('c1', DAY)))).toBe(15);
    expect(await store.top(usageKeys.guildChannels('g1', DAY), 5)).toEqual([{ member: 'c1', score: 15 * UNITS }]);
    expect(await store.top(usageKeys.guildUsers('g1', DAY), 5)).toEqual([{ member: 'u1', score: 15 * UNITS }]);
  });

  it('counts a DM without any guild counter or ranking', async () => {
    const { store, added, ranked } = recordingStore();
    await recordUsage(store, question('dm1', 'u1', null), used(10, 20), NOON);
    expect(added.sort()).toEqual([usageKeys.channel('dm1', DAY), usageKeys.total(DAY), usageKeys.user('u1', DAY)]);
    expect(ranked).toEqual([]);
  });

  it('counts the last millisecond of a day in that day, and midnight UTC in the next', async () => {
    const { store } = recordingStore();
    const ask = question('c1', 'u1', 'g1');
    await recordUsage(store, ask, used(7, 0), Date.UTC(2026, 10, 24, 23, 59, 59, 999));
    await recordUsage(store, ask, used(0, 3), Date.UTC(2026, 10, 25));
    expect(await store.get(usageKeys.user('u1', '2026-11-24'))).toEqual({
      input: 7,
      output: 0,
      cacheRead: 0,
      cacheCreation: 0,
    });
    expect(await store.get(usageKeys.user('u1', '2026-11-25'))).toEqual({
      input: 0,
      output: 3,
      cacheRead: 0,
      cacheCreation: 0,
    });
    expect(await store.top(usageKeys.guildUsers('g1', '2026-11-25'), 5)).toEqual([{ member: 'u1', score: 3 * UNITS }]);
  });
});
