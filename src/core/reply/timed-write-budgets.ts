import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { WriteBudget } from './write-budget.js';
import type { WriteBudgets } from './write-budgets.js';

// Write budgets that tell how long each granted write waited for its slot (its bucket's window, then
// the global pacer's turn): the time an answer's text spends behind Discord's rate limits. A wait
// given up (the write was no longer needed) wrote nothing and is not told.

export function timedWriteBudgets(
  budgets: WriteBudgets,
  deps: { readonly clock: Clock; readonly telemetry: Pick<Telemetry, 'slotGranted'> },
): WriteBudgets {
  const { clock, telemetry } = deps;
  const timed = (budget: WriteBudget): WriteBudget => ({
    async acquire(kind, signal) {
      const asked = clock.elapsed();
      const granted = await budget.acquire(kind, signal);
      if (granted) telemetry.slotGranted(kind, clock.elapsed() - asked);
      return granted;
    },
    observe: (observation) => budget.observe(observation),
    blockFor: (ms) => budget.blockFor(ms),
  });
  return {
    for: (key) => timed(budgets.for(key)),
    observe: (key, observation) => budgets.observe(key, observation),
    rateLimited: (key, retryAfterMs) => budgets.rateLimited(key, retryAfterMs),
    rateLimitedGlobally: (retryAfterMs) => budgets.rateLimitedGlobally(retryAfterMs),
  };
}
