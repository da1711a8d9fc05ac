import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { migrate } from './migrate.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export const SQLITE_FILE_NAME = 'streamcord.sqlite';

export interface OpenSqliteOptions {
  readonly dataDir: string;
  /** How long a statement waits for another connection's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** The schema steps; the released ones by default. */
  readonly migrations?: readonly string[];
}

/** Opens (creating if need be) `${dataDir}/streamcord.sqlite` at the newest schema. */
export function openSqliteDatabase(options: OpenSqliteOptions): SqliteDatabase {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(join(options.dataDir, SQLITE_FILE_NAME));
  try {
    // WAL: readers never block the writer. NORMAL: a power cut may lose the last commits but never
    // corrupts the file, which is the right trade for conversation history and counters.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5_000)}`);
    migrate(db, options.migrations ?? SQLITE_MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
