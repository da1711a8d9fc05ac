import type { TokenUsage } from '../ports/model.js';
import type { Question } from '../prompt/question.js';
import type { UsageStore } from '../ports/storage.js';

// Counts every answer's tokens per day, in total, per channel and per user: what budgets are
// enforced on.

export function usageKeys(question: Question, day: Date): string[] {
  const date = day.toISOString().slice(0, 10);
  return [`total:${date}`, `channel:${question.channelId}:${date}`, `user:${question.authorId}:${date}`];
}

export async function recordUsage(store: UsageStore, question: Question, usage: TokenUsage, day: Date) {
  const tokens = {
    input: usage.inputTokens,
    output: usage.outputTokens,
    cacheRead: usage.cacheReadTokens,
    cacheCreation: usage.cacheCreationTokens,
  };
  await Promise.all(usageKeys(question, day).map((key) => store.add(key, tokens)));
}
