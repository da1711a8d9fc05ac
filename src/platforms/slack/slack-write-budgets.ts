import type { Clock } from '../../core/ports/clock.js';
import { createWriteBudgets } from '../../core/reply/write-budgets.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { isStreamBudgetKey } from './slack-thread.js';

// Slack counts each Web API method apart, per workspace. A workspace's native streams are appended
// to under chat.appendStream's Tier 4 (100+ a minute); everything else the answers write — posts,
// the fallback's chat.update — under Tier 3 (50+ a minute), the lower of those methods. Two budgets
// per workspace, then: the streams no longer wait behind the posts and updates, nor they behind the
// streams. Slack allows bursts over the tiers; a 429 holds the budget it came from for Retry-After.
const MINUTE_MS = 60_000;
const TIER_3 = 50;
const TIER_4 = 100;
// One slot of each window kept for answers' last edits, so that an end never waits for a reset.
const FINAL_EDIT_RESERVE = 1;

export function createSlackWriteBudgets(clock: Clock): WriteBudgets {
  const general = createWriteBudgets({ limit: TIER_3, windowMs: MINUTE_MS, reserve: FINAL_EDIT_RESERVE, clock });
  const streams = createWriteBudgets({ limit: TIER_4, windowMs: MINUTE_MS, reserve: FINAL_EDIT_RESERVE, clock });
  const of = (key: string): WriteBudgets => (isStreamBudgetKey(key) ? streams : general);
  return {
    for: (key) => of(key).for(key),
    observe: (key, observation) => of(key).observe(key, observation),
    rateLimited: (key, retryAfterMs) => of(key).rateLimited(key, retryAfterMs),
    // Slack has no global limit across methods.
    rateLimitedGlobally: () => {},
  };
}
