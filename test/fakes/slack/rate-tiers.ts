import { performance } from 'node:perf_hooks';

/** A method's budget: `limit` calls per `windowMs`, counted per workspace or per channel. */
export interface MethodRateLimit {
  readonly limit: number;
  readonly windowMs: number;
  /** chat.postMessage's special limit is per channel; the tiers are per method and workspace. */
  readonly perChannel?: boolean;
}

const MINUTE = 60_000;

/**
 * Slack's documented budgets for the methods the bot uses (docs.slack.dev "Rate limits" and each
 * method's page): Tier 2 is 20+ per minute, Tier 3 50+, Tier 4 100+, and chat.postMessage about one
 * message per second per channel. Slack allows short bursts over these, so they are the floor, not
 * the exact point a 429 comes. Pass them (or scaled copies) as `rateLimits` to a bench.
 */
export const SLACK_RATE_TIERS: Readonly<Record<string, MethodRateLimit>> = {
  'chat.postMessage': { limit: 1, windowMs: 1_000, perChannel: true },
  'chat.update': { limit: 50, windowMs: MINUTE },
  'chat.delete': { limit: 50, windowMs: MINUTE },
  'chat.postEphemeral': { limit: 100, windowMs: MINUTE },
  'chat.startStream': { limit: 20, windowMs: MINUTE },
  'chat.appendStream': { limit: 100, windowMs: MINUTE },
  'chat.stopStream': { limit: 20, windowMs: MINUTE },
  'assistant.threads.setStatus': { limit: 100, windowMs: MINUTE },
  'conversations.replies': { limit: 50, windowMs: MINUTE },
  'conversations.history': { limit: 50, windowMs: MINUTE },
  'users.info': { limit: 100, windowMs: MINUTE },
};

interface Window {
  readonly openedAt: number;
  used: number;
}

/** Fixed windows per method (and channel): a call over the budget gets the seconds until the window ends. */
export class RateTiers {
  readonly #limits: Readonly<Record<string, MethodRateLimit>>;
  readonly #windows = new Map<string, Window>();

  constructor(limits: Readonly<Record<string, MethodRateLimit>>) {
    this.#limits = limits;
  }

  /** Counts one call; returns Retry-After in whole seconds (at least 1) when it is over the budget. */
  take(method: string, channel: string | undefined): number | undefined {
    const limit = this.#limits[method];
    if (limit === undefined) return undefined;
    const key = limit.perChannel === true ? `${method}:${channel ?? ''}` : method;
    const now = performance.now();
    const current = this.#windows.get(key);
    const window =
      current !== undefined && now < current.openedAt + limit.windowMs ? current : { openedAt: now, used: 0 };
    this.#windows.set(key, window);
    // A refused call does not use the budget, as with Slack's 429s.
    if (window.used < limit.limit) {
      window.used += 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((window.openedAt + limit.windowMs - now) / 1000));
  }
}
