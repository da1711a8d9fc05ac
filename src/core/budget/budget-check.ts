import type { Clock } from '../ports/clock.js';
import type { RequestWindows, UsageStore } from '../ports/storage.js';
import { budgetChannelOf } from '../prompt/question.js';
import type { Question } from '../prompt/question.js';
import type { BudgetLimits } from './budget-limits.js';
import { budgetTokens } from './budget-tokens.js';
import { usageDay } from './usage-day.js';
import { requestKey, usageKeys } from './usage-keys.js';

// Budgets, checked before each request: the person's, the channel's and the guild's tokens today,
// then the person's requests this minute. What an answer uses is counted when it ends, so an answer
// that starts within a budget is never cut for crossing it; the next question is refused. Processes
// sharing a store can together pass a budget by at most the answers they had running.

export type BudgetKind = 'rate' | 'user' | 'channel' | 'guild';

export interface BudgetRefusal {
  readonly kind: BudgetKind;
  /** The limit: tokens a day, or requests a minute. */
  readonly limit: number;
  readonly used: number;
  /** When the limit starts again from zero (epoch ms). */
  readonly resetsAt: number;
}

/** Why `question` may not be asked now, or null; `exempt` (admins) always may. */
export type BudgetCheck = (question: Question, exempt: boolean) => Promise<BudgetRefusal | null>;

export interface BudgetCheckDeps {
  readonly usage: UsageStore;
  readonly requests: RequestWindows;
  readonly limits: BudgetLimits;
  readonly clock: Clock;
}

const MINUTE_MS = 60_000;

interface DailyLimit {
  readonly kind: Exclude<BudgetKind, 'rate'>;
  readonly key: string;
  readonly limit: number;
}

export function createBudgetCheck(deps: BudgetCheckDeps): BudgetCheck {
  const { limits } = deps;
  return async (question, exempt) => {
    if (exempt) return null;
    const now = deps.clock.now();
    const daily = await dailyRefusal(deps, dailyLimits(limits, question, usageDay(now).date), now);
    if (daily) return daily;
    const perMinute = limits.userRequestsPerMinute;
    if (perMinute === undefined) return null;
    // Taken last, so a question refused for its tokens does not count against the rate too.
    const take = await deps.requests.take(requestKey(question.authorId), perMinute, MINUTE_MS, now);
    return take.taken ? null : { kind: 'rate', limit: perMinute, used: take.count, resetsAt: take.resetsAt };
  };
}

function dailyLimits(limits: BudgetLimits, question: Question, date: string): DailyLimit[] {
  const { authorId, guildId } = question;
  const candidates: Array<DailyLimit | null> = [
    limit('user', usageKeys.user(authorId, date), limits.userDailyTokens),
    limit('channel', usageKeys.channel(budgetChannelOf(question), date), limits.channelDailyTokens),
    guildId ? limit('guild', usageKeys.guild(guildId, date), limits.guildDailyTokens) : null,
  ];
  return candidates.filter((candidate) => candidate !== null);
}

function limit(kind: DailyLimit['kind'], key: string, value: number | undefined): DailyLimit | null {
  return value === undefined ? null : { kind, key, limit: value };
}

// One read for every counter that has a limit.
async function dailyRefusal(deps: BudgetCheckDeps, checks: DailyLimit[], now: number) {
  if (checks.length === 0) return null;
  const counts = await deps.usage.getMany(checks.map((check) => check.key));
  const { resetsAt } = usageDay(now);
  for (const [index, check] of checks.entries()) {
    const used = budgetTokens(counts[index] ?? { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 });
    if (used >= check.limit) return { kind: check.kind, limit: check.limit, used, resetsAt };
  }
  return null;
}
