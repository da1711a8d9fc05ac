import pThrottle from 'p-throttle';

// One edit budget per channel, because Discord buckets message edits per channel: every reply being
// edited in a channel draws on it. Intermediate edits are paced evenly across the window by p-throttle
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
  /** Resolves when an intermediate edit may go out. */
  acquire(): Promise<void>;
}

export interface EditBudgets {
  forChannel(channelId: string): EditBudget;
  /** Feeds what the platform said about a channel's edit bucket in a response. */
  observe(channelId: string, observation: RateLimitObservation): void;
  /** The platform answered 429: nothing more until `retryAfterMs` has passed. */
  rateLimited(channelId: string, retryAfterMs: number): void;
}

export interface EditBudgetOptions {
  /** Assumed until the platform's headers say otherwise. */
  readonly limit: number;
  readonly windowMs: number;
  /** Slots per window kept for final edits. */
  readonly reserve: number;
}

interface ChannelBudget extends EditBudget {
  observe(observation: RateLimitObservation): void;
  blockFor(ms: number): void;
}

export function createEditBudgets(options: EditBudgetOptions): EditBudgets {
  const channels = new Map<string, ChannelBudget>();

  function forChannel(channelId: string): ChannelBudget {
    let budget = channels.get(channelId);
    if (!budget) {
      budget = createChannelBudget(options);
      channels.set(channelId, budget);
    }
    return budget;
  }

  return {
    forChannel,
    observe: (channelId, observation) => forChannel(channelId).observe(observation),
    rateLimited: (channelId, retryAfterMs) => forChannel(channelId).blockFor(retryAfterMs),
  };
}

function createChannelBudget(options: EditBudgetOptions): ChannelBudget {
  let limit = options.limit;
  let windowMs = options.windowMs;
  let pace = createPacer(limit, windowMs, options.reserve);
  let blockedUntil = 0;

  return {
    async acquire() {
      await pace();
      const wait = blockedUntil - Date.now();
      if (wait > 0) await delay(wait);
    },
    observe(observation) {
      if (observation.remaining <= options.reserve) {
        blockedUntil = Math.max(blockedUntil, Date.now() + observation.resetAfterMs);
      }
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
      blockedUntil = Math.max(blockedUntil, Date.now() + ms);
    },
  };
}

// Evenly spaced slots rather than a burst at the start of each window: the visible text then lags
// the stream by about one slot all along, instead of freezing for most of every window.
function createPacer(limit: number, windowMs: number, reserve: number): () => Promise<void> {
  const slots = Math.max(1, limit - reserve);
  return pThrottle({ limit: 1, interval: Math.ceil(windowMs / slots) })(async () => {});
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
