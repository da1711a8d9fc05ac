import type { BudgetRefusal } from './budget-check.js';

// What a person over a budget is told: which limit, how much was used, and when it resets.

export const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US');

/** "in 5 h 12 min", "in 42 s": how long until `at`. */
export function timeUntil(at: number, now: number): string {
  const seconds = Math.max(1, Math.ceil((at - now) / 1000));
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `in ${hours} h` : `in ${hours} h ${rest} min`;
}

const whose = { user: 'You have', channel: 'This channel has', guild: 'This server has' } as const;

export function budgetRefusalText(refusal: BudgetRefusal, now: number): string {
  const { limit, used, resetsAt } = refusal;
  if (refusal.kind === 'rate') {
    return `⏳ You’ve asked ${formatCount(used)} questions this minute, the most allowed (${formatCount(limit)} a minute). Ask again ${timeUntil(resetsAt, now)}.`;
  }
  return `⏳ ${whose[refusal.kind]} used today’s budget: ${formatCount(used)} of ${formatCount(limit)} tokens. It resets at midnight UTC, ${timeUntil(resetsAt, now)}.`;
}
