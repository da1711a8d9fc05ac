import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/core/ports/storage.js';
import { openSqliteDatabase, SQLITE_FILE_NAME } from '../../src/storage/sqlite/open-sqlite-database.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/sqlite-migrations.js';
import { createSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

// What the SQLite storage adds to the contract: a file that outlasts the process, and its schema.

let root: string;
let dataDir: string;
const opened: Storage[] = [];

const open = (keep = 10) => {
  const storage = createSqliteStorage({ dataDir, keep });
  opened.push(storage);
  return storage;
};

const schemaVersions = () => {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'streamcord-sqlite-'));
  // Not there yet: the first start creates it.
  dataDir = join(root, 'data', 'nested');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
  await rm(root, { recursive: true, force: true });
});

describe('SQLite storage', () => {
  it('creates the data directory and a WAL-mode file in it', async () => {
    await open().close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('keeps everything across a restart (close and reopen)', async () => {
    const before = open();
    await before.conversations.upsert('c1', { id: 'a', question: 'q a', answer: 'a a' });
    await before.conversations.upsert('c1', { id: 'b', question: 'q b', answer: 'a b' });
    await before.usage.add('user:1', { input: 1, output: 2, cacheRead: 3, cacheCreation: 4 });
    const streaming = {
      answerId: 'answer-1',
      channelId: 'c1',
      locators: ['m1', 'm2'],
      owner: 'process-a',
      startedAt: 1_000,
    };
    await before.streaming.put(streaming);
    await before.close();

    const after = open();
    // A replacement after the restart still takes the exchange's old place.
    await after.conversations.upsert('c1', { id: 'a', question: 'q a', answer: 'continued' });
    await after.conversations.upsert('c1', { id: 'c', question: 'q c', answer: 'a c' });
    expect(await after.conversations.load('c1')).toEqual([
      { id: 'a', question: 'q a', answer: 'continued' },
      { id: 'b', question: 'q b', answer: 'a b' },
      { id: 'c', question: 'q c', answer: 'a c' },
    ]);
    expect(await after.usage.add('user:1', { input: 1, output: 1, cacheRead: 1, cacheCreation: 1 })).toEqual({
      input: 2,
      output: 3,
      cacheRead: 4,
      cacheCreation: 5,
    });
    expect(await after.streaming.list()).toEqual([streaming]);
  });

  it('folds the WAL into the file on close, and closes twice harmlessly', async () => {
    const storage = open();
    await storage.usage.add('user:1', { input: 1, output: 0, cacheRead: 0, cacheCreation: 0 });
    await storage.close();
    await storage.close();
    expect(existsSync(join(dataDir, `${SQLITE_FILE_NAME}-wal`))).toBe(false);
  });

  it('migrates once, however often it is opened, even by two connections at once', async () => {
    open();
    open();
    await Promise.all(opened.splice(0).map((storage) => storage.close()));
    await open().close();
    expect(schemaVersions()).toEqual(SQLITE_MIGRATIONS.map((_, index) => ({ version: index + 1 })));
  });
  it('answers a write while another connection holds the lock with a rejection (SQLITE_BUSY)', async () => {
    const storage = createSqliteStorage({ dataDir, keep: 10, busyTimeoutMs: 0 });
    opened.push(storage);
    // Another process (a second shard on the same file) in the middle of a write.
    const other = new Database(join(dataDir, SQLITE_FILE_NAME));
    other.exec('BEGIN IMMEDIATE');
    try {
      let writing: Promise<void> | undefined;
      expect(
        () => (writing = storage.conversations.upsert('c1', { id: 'a', question: 'q', answer: 'a' })),
      ).not.toThrow();
      await expect(writing).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(
        storage.usage.add('user:1', { input: 1, output: 0, cacheRead: 0, cacheCreation: 0 }),
      ).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once the other writer is done, the same storage writes again.
    await storage.conversations.upsert('c1', { id: 'a', question: 'q', answer: 'a' });
    expect(await storage.conversations.load('c1')).toHaveLength(1);
  });
});

describe('SQLite migrations', () => {
  const step2 = 'CREATE TABLE later_feature (id TEXT PRIMARY KEY)';

  it('applies only the steps a database has not seen', () => {
    openSqliteDatabase({ dataDir }).close();
    const db = openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, step2] });
    try {
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => row.name);
      expect(tables).toContain('later_feature');
      expect(tables).toContain('conversations');
    } finally {
      db.close();
    }
    expect(schemaVersions()).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('rolls a failed step back whole', () => {
    openSqliteDatabase({ dataDir }).close();
    const broken = [...SQLITE_MIGRATIONS, `${step2}; CREATE TABLE oops (`];
    expect(() => openSqliteDatabase({ dataDir, migrations: broken })).toThrow();
    const db = openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, step2] });
    db.close();
    expect(schemaVersions()).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('refuses a database from a newer streamcord', () => {
    openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, step2] }).close();
    expect(() => openSqliteDatabase({ dataDir })).toThrow(/schema version 2, newer than the 1/);
  });
});
