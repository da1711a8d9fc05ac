import type { TokenUsage } from '../ports/model.js';
import { budgetChannelOf } from '../prompt/question.js';
import type { Question } from '../prompt/question.js';
import type { TokenCounts, UsageStore } from '../ports/storage.js';
import { budgetUnits } from './budget-tokens.js';
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
  const { authorId, guildId } = question;
  const channelId = budgetChannelOf(question);
  const counters = [usageKeys.total(date), usageKeys.channel(channelId, date), usageKeys.user(authorId, date)];
  if (guildId) counters.push(usageKeys.guild(guildId, date));
  // In budget units, not rounded tokens: a ranking's sum of answers then equals its counter's total.
  const weight = budgetUnits(tokens);
  await Promise.all([
    ...counters.map((key) => store.add(key, tokens)),
    ...(guildId
      ? [
          store.rank(usageKeys.guildChannels(guildId, date), channelId, weight),
          store.rank(usageKeys.guildUsers(guildId, date), authorId, weight),
        ]
      : []),
  ]);
}
