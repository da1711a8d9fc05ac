import type { Logger } from '../core/ports/logger.js';
import type { Storage } from '../core/ports/storage.js';
import { createRedisStorage } from './redis/redis-storage.js';
import { createSqliteStorage } from './sqlite/sqlite-storage.js';

// Redis when it is configured (several processes share it), else a SQLite file (one process).

export interface StorageConfig {
  readonly redisUrl?: string | undefined;
  readonly redisKeyPrefix?: string | undefined;
  readonly dataDir: string;
  readonly keep: number;
  readonly conversationTtlSeconds: number;
  readonly leaseMs?: number | undefined;
}

export async function createStorage(config: StorageConfig, dependencies: { logger?: Logger } = {}): Promise<Storage> {
  if (config.redisUrl) {
    return createRedisStorage({
      url: config.redisUrl,
      ...(config.redisKeyPrefix === undefined ? {} : { keyPrefix: config.redisKeyPrefix }),
      keep: config.keep,
      conversationTtlSeconds: config.conversationTtlSeconds,
      ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
      ...(dependencies.logger ? { logger: dependencies.logger } : {}),
    });
  }
  return Promise.resolve(
    createSqliteStorage({
      dataDir: config.dataDir,
      keep: config.keep,
      ...(dependencies.logger ? { logger: dependencies.logger } : {}),
    }),
  );
}
