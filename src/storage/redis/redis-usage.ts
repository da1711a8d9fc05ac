import type { Redis } from 'ioredis';
import type { Ranked, TokenCounts, UsageStore } from '../../core/ports/storage.js';
import type { RedisKeys } from './redis-keys.js';
import { transactionResults } from './transaction-results.js';

// Token counters as a hash per key, rankings as a sorted set each. The four HINCRBYs run in one
// MULTI, so the totals returned are one consistent state even while other processes add to the same
// key.
//
// Usage keys and rankings are daily: their names carry the day ("user:1:2026-12-01"), and nothing
// writes to a day once it is over. Each write therefore also sets the key to expire
// USAGE_EXPIRY_SECONDS later, in the same MULTI, so old days free their memory on their own while a month of history stays.

const FIELDS = ['input', 'output', 'cacheRead', 'cacheCreation'] as const;

export const USAGE_EXPIRY_SECONDS = 40 * 24 * 60 * 60;

export function createRedisUsage(redis: Redis, keys: RedisKeys): UsageStore {
  return {
    async add(key, tokens) {
      const hash = keys.usage(key);
      const transaction = redis.multi();
      for (const field of FIELDS) transaction.hincrby(hash, field, tokens[field]);
      transaction.expire(hash, USAGE_EXPIRY_SECONDS);
      return countsOf(transactionResults(await transaction.exec()));
    },
    async get(key) {
      return countsOf(await redis.hmget(keys.usage(key), ...FIELDS));
    },
    async getMany(keyList) {
      if (keyList.length === 0) return [];
      // One MULTI: one round trip, and every key read from the same state.
      const transaction = redis.multi();
      for (const key of keyList) transaction.hmget(keys.usage(key), ...FIELDS);
      return transactionResults(await transaction.exec()).map((values) => countsOf(values as unknown[]));
    },
    async rank(ranking, member, amount) {
      const set = keys.ranking(ranking);
      transactionResults(await redis.multi().zincrby(set, amount, member).expire(set, USAGE_EXPIRY_SECONDS).exec());
    },
    async top(ranking, limit) {
      const count = Math.floor(limit);
      // ZREVRANGE reads a stop of -1 as "to the end".
      if (count <= 0) return [];
      const flat = await redis.zrevrange(keys.ranking(ranking), 0, count - 1, 'WITHSCORES');
      const ranked: Ranked[] = [];
      for (let index = 0; index + 1 < flat.length; index += 2) {
        ranked.push({ member: String(flat[index]), score: Number(flat[index + 1]) });
      }
      return ranked;
    },
  };
}

// In FIELDS order; a missing field (a key never added to) counts 0.
function countsOf(values: readonly unknown[]): TokenCounts {
  const count = (index: number) => Number(values[index] ?? 0);
  return { input: count(0), output: count(1), cacheRead: count(2), cacheCreation: count(3) };
}
