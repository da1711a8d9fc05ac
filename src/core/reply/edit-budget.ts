import pThrottle from 'p-throttle';
import type { Clock } from '../ports/clock.js';

// One edit budget per rate-limit bucket: a channel, because Discord buckets message edits per channel
// (every reply being edited in a channel draws on it), or an interaction's webhook token. Intermediate edits are paced evenly across the window by p-throttle
// and also wait out a window the platform's rate-limit headers say is spent. One slot per window
// is left for final edits, which do not draw on the pacer, so an answer's end does not wait behind it.

export interface RateLimitObservation {
  /** Requests allowed per window (X-RateLimit-Limit). */
  readonly limit: number;
  /** Requests left in this window (X-RateLimit-Remaining). */
  readonly remaining: number;
  /** Until the window resets (X-RateLimit-Reset-After), in ms. */
  readonly resetAfterMs: number;
}

export interface EditBudget {
  /**
   * Resolves when an intermediate edit may go out: paced, and leaving the reserve alone. Aborting
   * `signal` gives up the wait (the edit is no longer needed) and passes the slot on.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Resolves once the bucket is not known to be spent: for requests that must not be paced. */
  open(): Promise<void>;
}

export interface EditBudgets {
  /** The budget of one bucket, e.g. a channel id. */
  for(key: string): EditBudget;
  /** Feeds what the platform said about a bucket in a response. */
  observe(key: string, observation: RateLimitObservation): void;
  /** The platform answered 429: nothing more until `retryAfterMs` has passed. */
  rateLimited(key: string, retryAfterMs: number): void;
}

export interface EditBudgetOptions {
  /** Assumed until the platform's headers say otherwise. */
  readonly limit: number;
  readonly windowMs: number;
  /** Slots per window kept for final edits. */
  readonly reserve: number;
  readonly clock: Clock;
}

interface BucketBudget extends EditBudget {
  observe(observation: RateLimitObservation): void;
  blockFor(ms: number): void;
}

// Buckets kept at most; the least recently used go first (an interaction's bucket lives minutes).
const MAX_BUCKETS = 10_000;

export function createEditBudgets(options: EditBudgetOptions): EditBudgets {
  const buckets = new Map<string, BucketBudget>();

  function budgetFor(key: string): BucketBudget {
    const budget = buckets.get(key) ?? createBucketBudget(options);
    buckets.delete(key);
    buckets.set(key, budget);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value ?? key);
    return budget;
  }

  return {
    for: budgetFor,
    observe: (key, observation) => budgetFor(key).observe(observation),
    rateLimited: (key, retryAfterMs) => budgetFor(key).blockFor(retryAfterMs),
  };
}

function createBucketBudget(options: EditBudgetOptions): BucketBudget {
  let limit = options.limit;
  let windowMs = options.windowMs;
  let pace = createPacer(limit, windowMs, options.reserve);
  // Until then intermediate edits wait (only the reserve is left); until `spentUntil` everything does.
  let blockedUntil = 0;
  let spentUntil = 0;
  // Waiters take paced slots in turn. A slot that comes when its waiter has given up goes to the
  // next one, or is kept for the next that comes, so an abandoned wait costs the channel nothing.
  const waiters: (() => void)[] = [];
  let pacing = false;
  let banked = false;

  function dispense(): void {
    if (waiters.length === 0 || pacing) return;
    if (banked) {
      banked = false;
      waiters.shift()?.();
      dispense();
      return;
    }
    pacing = true;
    pace().then(
      () => {
        pacing = false;
        const next = waiters.shift();
        if (next) next();
        else banked = true;
        dispense();
      },
      () => (pacing = false),
    );
  }

  function slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const cancel = () => {
        waiters.splice(waiters.indexOf(grant), 1);
        resolve();
      };
      const grant = () => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      };
      waiters.push(grant);
      signal?.addEventListener('abort', cancel, { once: true });
      dispense();
    });
  }

  return {
    async acquire(signal) {
      await slot(signal);
      if (!signal?.aborted) await waitUntil(options.clock, blockedUntil);
    },
    open: () => waitUntil(options.clock, spentUntil),
    observe(observation) {
      const resetAt = options.clock.now() + observation.resetAfterMs;
      if (observation.remaining <= options.reserve) blockedUntil = Math.max(blockedUntil, resetAt);
      spentUntil = observation.remaining === 0 ? resetAt : 0;
      // The first request of a window reports the whole window as its reset-after.
      const observedWindow =
        observation.remaining === observation.limit - 1 ? Math.ceil(observation.resetAfterMs) : windowMs;
      if (observation.limit !== limit || observedWindow !== windowMs) {
        limit = observation.limit;
        windowMs = observedWindow;
        pace = createPacer(limit, windowMs, options.reserve);
      }
    },
    blockFor(ms) {
      blockedUntil = Math.max(blockedUntil, options.clock.now() + ms);
      spentUntil = Math.max(spentUntil, options.clock.now() + ms);
    },
  };
}

// Evenly spaced slots rather than a burst at the start of each window: the visible text then lags
// the stream by about one slot all along, instead of freezing for most of every window.
function createPacer(limit: number, windowMs: number, reserve: number): () => Promise<void> {
  const slots = Math.max(1, limit - reserve);
  return pThrottle({ limit: 1, interval: Math.ceil(windowMs / slots) })(async () => {});
}

async function waitUntil(clock: Clock, time: number): Promise<void> {
  const wait = time - clock.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
