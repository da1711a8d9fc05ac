import type { KeyedQueue } from '../../core/keyed-queue.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Storage } from '../../core/ports/storage.js';
import { createQueueLocks } from '../queue-locks.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { promised } from './promised.js';
import { createSqliteConversations } from './sqlite-conversations.js';
import { createSqliteRequests } from './sqlite-requests.js';
import { createSqliteSettings } from './sqlite-settings.js';
import { createSqliteStreaming } from './sqlite-streaming.js';
import { createSqliteUsage } from './sqlite-usage.js';

// Everything in one SQLite file under the data directory: survives restarts of a single process.
// Channel locks stay in this process (a keyed queue): one process owns the file and serves every
// channel. A deployment of several processes (shards on many machines) uses the Redis storage, whose
// locks work across processes.

export interface SqliteStorageOptions {
  /** Where streamcord.sqlite lives; created on first start. */
  readonly dataDir: string;
  /** Exchanges kept per channel, newest last. */
  readonly keep: number;
  /** The queue the channel locks take turns in; a fresh one by default. */
  readonly queue?: KeyedQueue;
  readonly now?: () => number;
  /** How long a statement waits for another connection's write lock before failing (SQLITE_BUSY). */
  readonly busyTimeoutMs?: number;
  /** Hears of stored settings that are not valid (they read as nothing set). */
  readonly logger?: Logger;
}

export function createSqliteStorage(options: SqliteStorageOptions): Storage {
  const db = openSqliteDatabase({
    dataDir: options.dataDir,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  const select1 = db.prepare('SELECT 1');
  return {
    conversations: createSqliteConversations(db, { keep: options.keep, now: options.now ?? Date.now }),
    usage: createSqliteUsage(db),
    requests: createSqliteRequests(db),
    settings: createSqliteSettings(db, (scope, error) =>
      options.logger?.warn({ scope, err: error }, 'Stored settings are not valid; reading them as nothing set'),
    ),
    streaming: createSqliteStreaming(db),
    locks: createQueueLocks(options.queue),
    // Throws once the database is closed (or its file cannot be read).
    ping: () => promised(() => void select1.get()),
    close: () =>
      promised(() => {
        if (!db.open) return;
        // Folds the WAL back into the main file so that the data directory is one file at rest.
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }),
  };
}
