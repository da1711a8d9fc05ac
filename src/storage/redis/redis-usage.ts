import type { Redis } from 'ioredis';
import type { TokenCounts, UsageStore } from '../../core/ports/storage.js';
import type { RedisKeys } from './redis-keys.js';
import { transactionResults } from './transaction-results.js';

// Token counters as a hash per key. The four HINCRBYs run in one MULTI, so the totals returned are
// one consistent state even while other processes add to the same key.

const FIELDS = ['input', 'output', 'cacheRead', 'cacheCreation'] as const;

export function createRedisUsage(redis: Redis, keys: RedisKeys): UsageStore {
  return {
    async add(key, tokens) {
      const hash = keys.usage(key);
      const transaction = redis.multi();
      for (const field of FIELDS) transaction.hincrby(hash, field, tokens[field]);
      return countsOf(transactionResults(await transaction.exec()));
    },
    async get(key) {
      return countsOf(await redis.hmget(keys.usage(key), ...FIELDS));
    },
  };
}

// In FIELDS order; a missing field (a key never added to) counts 0.
function countsOf(values: readonly unknown[]): TokenCounts {
  const count = (index: number) => Number(values[index] ?? 0);
  return { input: count(0), output: count(1), cacheRead: count(2), cacheCreation: count(3) };
}
