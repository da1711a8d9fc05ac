import type { Redis } from 'ioredis';
import type { RequestWindows } from '../../core/ports/storage.js';
import { windowOf } from '../request-window.js';
import type { RedisKeys } from './redis-keys.js';

// Request windows as one counter per key and window, counted by a script (a read and a write that no
// other process's take can come between) and expiring once the window is over.

// Processes' clocks differ a little: a window's key outlives the window's end by this much, so a
// process whose clock lags still finds the count of the window it believes is running.
export const CLOCK_SKEW_MS = 5_000;

export function createRedisRequests(redis: Redis, keys: RedisKeys): RequestWindows {
  return {
    async take(key, limit, windowMs, now) {
      const { start, resetsAt } = windowOf(now, windowMs);
      const ttlMs = Math.ceil(resetsAt - now) + CLOCK_SKEW_MS;
      const [taken, count] = await redis.streamcordTakeRequest(keys.requestWindow(key, start), limit, ttlMs);
      return { taken: taken === 1, count, resetsAt };
    },
  };
}
