import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Storage } from '../../src/core/ports/storage.js';
import { createMemoryStorage } from '../../src/storage/memory-storage.js';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import { createSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

// The three storages behind one shape, each opened fresh for a test and cleaned up after it.

export interface OpenOptions {
  readonly keep?: number;
  readonly leaseMs?: number;
}

/** One test's storages: `open()` twice gives two handles on the same data (two processes). */
export interface BackendSession {
  open(options?: OpenOptions): Promise<Storage>;
  /** Closes every storage opened and removes what the test stored. */
  cleanUp(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  /** Whether two open() calls share data, locks included (as two processes would). */
  readonly shared: boolean;
  /** Whether two open() calls share data (SQLite: two connections to one file; locks stay apart). */
  readonly sharesData: boolean;
  session(): Promise<BackendSession>;
}

const DEFAULT_KEEP = 10;

export const memoryBackend: Backend = {
  name: 'memory',
  shared: false,
  sharesData: false,
  session: () => Promise.resolve(trackingSession((options) => createMemoryStorage({ keep: keepOf(options) }))),
};

export const sqliteBackend: Backend = {
  name: 'sqlite',
  shared: false,
  sharesData: true,
  async session() {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-sqlite-'));
    return trackingSession(
      (options) => createSqliteStorage({ dataDir, keep: keepOf(options) }),
      () => rm(dataDir, { recursive: true, force: true }),
    );
  },
};

export const redisBackend: Backend = {
  name: 'redis',
  shared: true,
  sharesData: true,
  session() {
    // A prefix of its own per test: tests share one server and may run at once.
    const keyPrefix = `streamcord-test:${randomUUID()}:`;
    return Promise.resolve(
      trackingSession((options) =>
        createRedisStorage({
          url: inject('redisUrl'),
          keyPrefix,
          keep: keepOf(options),
          conversationTtlSeconds: 3600,
          ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        }),
      ),
    );
  },
};

export const backends: readonly Backend[] = [memoryBackend, sqliteBackend, redisBackend];

function keepOf(options: OpenOptions): number {
  return options.keep ?? DEFAULT_KEEP;
}

function trackingSession(
  create: (options: OpenOptions) => Storage | Promise<Storage>,
  removeData: () => Promise<void> = () => Promise.resolve(),
): BackendSession {
  const opened: Storage[] = [];
  return {
    async open(options = {}) {
      const storage = await create(options);
      opened.push(storage);
      return storage;
    },
    async cleanUp() {
      await Promise.all(opened.map((storage) => storage.close()));
      await removeData();
    },
  };
}
