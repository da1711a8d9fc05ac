import type { GlobalPacer } from './global-pacer.js';
import { createWriteBudget } from './write-budget.js';
import type { RateLimitObservation, WriteBudget, WriteBudgetOptions } from './write-budget.js';

// One write budget per rate-limit bucket, made on first use: every placeholder, follow-up, edit and
// button removal of a channel draws on the same one, whichever answer it belongs to. Buckets whose
// writes count against the platform's global limit share one pacer on top.

export interface WriteBudgets {
  /** The budget of one bucket, e.g. a channel id. */
  for(key: string): WriteBudget;
  /** Feeds what the platform said about a bucket in a response. */
  observe(key: string, observation: RateLimitObservation): void;
  /** The platform answered 429: nothing more until `retryAfterMs` has passed. */
  rateLimited(key: string, retryAfterMs: number): void;
  /** The platform answered 429 for its global limit: no write that counts against it for `retryAfterMs`. */
  rateLimitedGlobally(retryAfterMs: number): void;
}

export interface GlobalLimit {
  readonly pacer: GlobalPacer;
  /** Whether a bucket's writes count against the global limit (the platform may exempt some). */
  readonly counts: (key: string) => boolean;
}

// Buckets kept at most; the least recently used go first (an interaction's bucket lives minutes).
const MAX_BUCKETS = 10_000;

export function createWriteBudgets(options: Omit<WriteBudgetOptions, 'global'>, global?: GlobalLimit): WriteBudgets {
  const buckets = new Map<string, WriteBudget>();

  function create(key: string): WriteBudget {
    if (global === undefined || !global.counts(key)) return createWriteBudget(options);
    return createWriteBudget({ ...options, global: global.pacer });
  }

  function budgetFor(key: string): WriteBudget {
    const budget = buckets.get(key) ?? create(key);
    buckets.delete(key);
    buckets.set(key, budget);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value ?? key);
    return budget;
  }

  return {
    for: budgetFor,
    observe: (key, observation) => budgetFor(key).observe(observation),
    rateLimited: (key, retryAfterMs) => budgetFor(key).blockFor(retryAfterMs),
    rateLimitedGlobally: (retryAfterMs) => global?.pacer.blockFor(retryAfterMs),
  };
}
