import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * The route kinds the fake rate-limits; a route names its kind in the route table.
 * `channelMessages` is per channel and shared by message creates and edits (one bucket hash for
 * both routes, as Discord reports it), `interactionWebhook` (edit/follow-up/fetch/delete through
 * an interaction token) is per token.
 */
export type BucketName = 'channelMessages' | 'interactionWebhook';

export interface BucketConfig {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length; a window opens with the first request after the previous one closed. */
  readonly windowMs: number;
}

export type BucketConfigs = Readonly<Record<BucketName, BucketConfig>>;

/**
 * About what people observe on real Discord: 5 per 5 s for message creates and edits together in
 * one channel, 5 per 2 s for a webhook (an interaction token is one).
 */
export const DEFAULT_BUCKETS: BucketConfigs = {
  channelMessages: { limit: 5, windowMs: 5000 },
  interactionWebhook: { limit: 5, windowMs: 2000 },
};

export const DEFAULT_GLOBAL_LIMIT_PER_SECOND = 50;

export type RateLimitScope = 'user' | 'global';

/** What the limiter decided for one request: the headers to send, and whether to refuse it. */
export type RateLimitOutcome =
  | { readonly limited: false; readonly headers: Record<string, string> }
  | {
      readonly limited: true;
      readonly headers: Record<string, string>;
      readonly scope: RateLimitScope;
      readonly retryAfterSeconds: number;
    };

interface Window {
  openedAt: number;
  used: number;
}

/** Fixed-window limiter: one window per (bucket, major parameter) plus one global window. */
export class RateLimiter {
  readonly #buckets: BucketConfigs;
  readonly #globalLimit: number;
  readonly #windows = new Map<string, Window>();
  #global: Window | undefined;

  constructor(buckets: BucketConfigs, globalLimitPerSecond: number) {
    this.#buckets = buckets;
    this.#globalLimit = globalLimitPerSecond;
  }

  /** Stable per route kind, like Discord's opaque bucket hashes; the client keys its queues by it. */
  static bucketHash(bucket: BucketName): string {
    return createHash('md5').update(`fake-discord:${bucket}`).digest('hex');
  }

  /**
   * Counts one request against the global window. Every request counts, refused or not:
   * that is what Discord does and what @discordjs/rest assumes when it budgets 50/s itself.
   */
  takeGlobal(): RateLimitOutcome {
    const now = performance.now();
    this.#global = openIfExpired(this.#global, now, 1000);
    this.#global.used += 1;
    if (this.#global.used <= this.#globalLimit) return { limited: false, headers: {} };
    const retryAfterSeconds = secondsLeft(this.#global, now, 1000);
    return {
      limited: true,
      scope: 'global',
      retryAfterSeconds,
      headers: {
        'Retry-After': retryAfterHeader(retryAfterSeconds),
        'X-RateLimit-Global': 'true',
        'X-RateLimit-Scope': 'global',
      },
    };
  }

  /** Takes one slot of `bucket` for this major parameter (a channel id, or webhook id/token). */
  takeBucket(bucket: BucketName, major: string): RateLimitOutcome {
    const { limit, windowMs } = this.#buckets[bucket];
    const key = `${bucket}:${major}`;
    const now = performance.now();
    const window = openIfExpired(this.#windows.get(key), now, windowMs);
    this.#windows.set(key, window);

    const resetAfter = secondsLeft(window, now, windowMs);
    const refused = window.used >= limit;
    // A refused request does not use a slot, so the window's budget is unaffected by a 429.
    if (!refused) window.used += 1;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(limit - window.used),
      'X-RateLimit-Reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': RateLimiter.bucketHash(bucket),
    };
    if (!refused) return { limited: false, headers };
    headers['Retry-After'] = retryAfterHeader(resetAfter);
    headers['X-RateLimit-Scope'] = 'user';
    return { limited: true, scope: 'user', retryAfterSeconds: resetAfter, headers };
  }
}

function openIfExpired(window: Window | undefined, now: number, windowMs: number): Window {
  if (window !== undefined && now < window.openedAt + windowMs) return window;
  return { openedAt: now, used: 0 };
}

/** Seconds until the window closes, rounded to the milliseconds Discord reports. */
function secondsLeft(window: Window, now: number, windowMs: number): number {
  return Math.max(0, Math.round(window.openedAt + windowMs - now)) / 1000;
}

/** Discord's Retry-After header is whole seconds rounded up; the body carries the exact float. */
function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}
