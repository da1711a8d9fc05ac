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

  it('answers a ping while open, and refuses it once closed', async () => {
    const storage = open();
    await expect(storage.ping()).resolves.toBeUndefined();
    await storage.close();
    await expect(storage.ping()).rejects.toThrow();
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

describe('SQLite storage, issue 9 tables', () => {
  const rawDb = () => new Database(join(dataDir, SQLITE_FILE_NAME));

  it('keeps settings, rankings and request windows across a restart', async () => {
    const before = open();
    await before.settings.update('guild:1', () => ({ persona: 'p', access: { allowedRoleIds: ['r1'] } }));
    await before.usage.rank('users:day-1', 'u1', 7);
    await before.requests.take('user:1', 1, 60_000, 1_000);
    await before.close();

    const after = open();
    expect(await after.settings.getMany(['guild:1'])).toEqual([{ persona: 'p', access: { allowedRoleIds: ['r1'] } }]);
    expect(await after.usage.top('users:day-1', 1)).toEqual([{ member: 'u1', score: 7 }]);
    expect(await after.requests.take('user:1', 1, 60_000, 2_000)).toMatchObject({ taken: false, count: 1 });
  });

  it('reads a stored value that is not valid settings as nothing set, says so, and lets an update replace it', async () => {
    const warnings: unknown[] = [];
    const logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (entry: unknown) => warnings.push(entry) };
    const storage = createSqliteStorage({ dataDir, keep: 10, logger });
    opened.push(storage);
    const db = rawDb();
    try {
      const put = db.prepare<[string, string]>('INSERT INTO scope_settings (scope, value) VALUES (?, ?)');
      put.run('guild:1', '{"persona": "cut off');
      put.run('guild:2', '{"maxTokens": "many"}');
      put.run('guild:3', '"a string"');
    } finally {
      db.close();
    }
    expect(await storage.settings.getMany(['guild:1', 'guild:2', 'guild:3'])).toEqual([{}, {}, {}]);
    expect(warnings).toEqual(
      ['guild:1', 'guild:2', 'guild:3'].map((scope): unknown => expect.objectContaining({ scope })),
    );
    expect(await storage.settings.update('guild:1', (current) => ({ ...current, model: 'm' }))).toEqual({
      model: 'm',
    });
    expect(await storage.settings.getMany(['guild:1'])).toEqual([{ model: 'm' }]);
  });

  it('deletes the row of a scope whose settings become empty', async () => {
    const storage = open();
    await storage.settings.update('channel:1', () => ({ model: 'm' }));
    await storage.settings.update('channel:1', () => ({}));
    const db = rawDb();
    try {
      expect(db.prepare('SELECT scope FROM scope_settings').all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('keeps only the request windows still running, of every key', async () => {
    const storage = open();
    const minute = 60_000;
    await storage.requests.take('user:1', 5, minute, 0);
    await storage.requests.take('user:2', 5, minute, 0);
    await storage.requests.take('notice:1', 1, 60 * minute, 0);
    await storage.requests.take('user:1', 5, minute, 5 * minute);
    const db = rawDb();
    try {
      const keys = db.prepare<[], { key: string }>('SELECT key FROM request_windows ORDER BY key').all();
      expect(keys.map((row) => row.key)).toEqual(['notice:1', 'user:1']);
    } finally {
      db.close();
    }
  });

  // Taking the write lock before reading is what keeps another process from changing the row between
  // the read and the write: while another connection writes, the change is not even run.
  it('takes the write lock before reading in an update and a take', async () => {
    const storage = createSqliteStorage({ dataDir, keep: 10, busyTimeoutMs: 0 });
    opened.push(storage);
    const other = rawDb();
    other.exec('BEGIN IMMEDIATE');
    let changes = 0;
    try {
      await expect(
        storage.settings.update('guild:1', () => {
          changes += 1;
          return { model: 'm' };
        }),
      ).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(storage.requests.take('user:1', 5, 60_000, 0)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(changes).toBe(0);
    expect(await storage.requests.take('user:1', 5, 60_000, 0)).toMatchObject({ taken: true, count: 1 });
  });
});

describe('SQLite migrations', () => {
  const latest = SQLITE_MIGRATIONS.length;
  const laterStep = 'CREATE TABLE later_feature (id TEXT PRIMARY KEY)';
  const versionsUpTo = (last: number) => Array.from({ length: last }, (_, index) => ({ version: index + 1 }));

  it('brings a version-1 database to the newest schema, keeping its data', async () => {
    const [step1] = SQLITE_MIGRATIONS;
    if (step1 === undefined) throw new Error('no first step');
    const v1 = openSqliteDatabase({ dataDir, migrations: [step1] });
    try {
      v1.prepare(
        "INSERT INTO conversations (channel_id, exchange_id, seq, question, answer, updated_at) VALUES ('c1', 'a', 1, 'q', 'a', 0)",
      ).run();
      v1.prepare("INSERT INTO usage_counters (key, input, output) VALUES ('user:1:2026-12-01', 5, 6)").run();
    } finally {
      v1.close();
    }
    expect(schemaVersions()).toEqual([{ version: 1 }]);

    const storage = open();
    expect(schemaVersions()).toEqual(versionsUpTo(latest));
    expect(await storage.conversations.load('c1')).toEqual([{ id: 'a', question: 'q', answer: 'a' }]);
    expect(await storage.usage.get('user:1:2026-12-01')).toEqual({
      input: 5,
      output: 6,
      cacheRead: 0,
      cacheCreation: 0,
    });
    await storage.settings.update('guild:1', () => ({ model: 'm' }));
    expect(await storage.settings.getMany(['guild:1'])).toEqual([{ model: 'm' }]);
  });

  it('applies only the steps a database has not seen', () => {
    openSqliteDatabase({ dataDir }).close();
    const db = openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, laterStep] });
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
    expect(schemaVersions()).toEqual(versionsUpTo(latest + 1));
  });

  it('rolls a failed step back whole', () => {
    openSqliteDatabase({ dataDir }).close();
    const broken = [...SQLITE_MIGRATIONS, `${laterStep}; CREATE TABLE oops (`];
    expect(() => openSqliteDatabase({ dataDir, migrations: broken })).toThrow();
    const db = openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, laterStep] });
    db.close();
    expect(schemaVersions()).toEqual(versionsUpTo(latest + 1));
  });

  it('refuses a database from a newer streamcord', () => {
    openSqliteDatabase({ dataDir, migrations: [...SQLITE_MIGRATIONS, laterStep] }).close();
    expect(() => openSqliteDatabase({ dataDir })).toThrow(
      new RegExp(`schema version ${latest + 1}, newer than the ${latest} `),
    );
  });
});
