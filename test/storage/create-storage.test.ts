import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createStorage } from '../../src/storage/create-storage.js';
import { SQLITE_FILE_NAME } from '../../src/storage/sqlite/open-sqlite-database.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streamcord-create-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('createStorage', () => {
  it('stores in SQLite under the data directory when no Redis is configured', async () => {
    const storage = await createStorage({ dataDir, keep: 10, conversationTtlSeconds: 60, redisUrl: undefined });
    await storage.usage.add('user:1', { input: 1, output: 0, cacheRead: 0, cacheCreation: 0 });
    await storage.close();
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
  });

  it('stores in Redis when a Redis URL is configured, and leaves the data directory alone', async () => {
    const redisUrl = inject('redisUrl');
    const usageKey = `create-storage-test:${randomUUID()}`;
    const storage = await createStorage({ redisUrl, dataDir, keep: 10, conversationTtlSeconds: 60 });
    await storage.usage.add(usageKey, { input: 7, output: 0, cacheRead: 0, cacheCreation: 0 });
    await storage.close();

    const raw = new Redis(redisUrl);
    try {
      expect(await raw.hget(`streamcord:usage:${usageKey}`, 'input')).toBe('7');
      await raw.del(`streamcord:usage:${usageKey}`);
    } finally {
      await raw.quit();
    }
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(false);
  });
});
