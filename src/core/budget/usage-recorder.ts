import type { TokenUsage } from '../ports/model.js';
import type { Question } from '../prompt/question.js';
import type { TokenCounts, UsageStore } from '../ports/storage.js';
import { budgetTokens } from './budget-tokens.js';
import { usageKeys } from './usage-keys.js';
import { usageDay } from './usage-day.js';

// Counts every answer's tokens per UTC day: in total, per channel, per user and per guild (what the
// budgets are checked against), and ranks the guild's channels and members for /usage.

export async function recordUsage(store: UsageStore, question: Question, usage: TokenUsage, now: number) {
  const { date } = usageDay(now);
  const tokens: TokenCounts = {
    input: usage.inputTokens,
    output: usage.outputTokens,
    cacheRead: usage.cacheReadTokens,
    cacheCreation: usage.cacheCreationTokens,
  };
  const { channelId, authorId, guildId } = question;
  const counters = [usageKeys.channel(channelId, date), usageKeys.user(authorId, date), usageKeys.total(date)];
  if (guildId) counters.push(usageKeys.guild(guildId, date));
  const [channelTotals, userTotals] = await Promise.all(counters.map((key) => store.add(key, tokens)));
  if (!guildId || !channelTotals || !userTotals) return;
  await Promise.all([
    store.rank(usageKeys.guildChannels(guildId, date), channelId, addedWeight(channelTotals, tokens)),
    store.rank(usageKeys.guildUsers(guildId, date), authorId, addedWeight(userTotals, tokens)),
  ]);
}

// What this answer added to a counter's budget tokens. Budget tokens round up, so ranking each answer
// by its own rounded weight would drift above the counter by up to a token an answer; the counter's
// own steps (adds are atomic) add up to its total, so a channel's rank is what /usage shows for it,
// and so is a member's when they ask in one server only (their counter also counts DMs and others).
function addedWeight(totals: TokenCounts, tokens: TokenCounts): number {
  const before: TokenCounts = {
    input: totals.input - tokens.input,
    output: totals.output - tokens.output,
    cacheRead: totals.cacheRead - tokens.cacheRead,
    cacheCreation: totals.cacheCreation - tokens.cacheCreation,
  };
  return budgetTokens(totals) - budgetTokens(before);
}
