import type { Database } from 'better-sqlite3';

// Brings a database to the newest schema version: the steps it has not seen run in order, each
// recorded in schema_migrations, all in one transaction so a failed step leaves the old schema whole.
// IMMEDIATE takes the write lock first: two processes opening one file never apply a step twice.

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

export function migrate(db: Database, steps: readonly string[], now: () => number = Date.now): MigrationResult {
  const run = db.transaction((): MigrationResult => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const from = currentVersion(db);
    if (from > steps.length) {
      throw new Error(
        `The database is at schema version ${from}, newer than the ${steps.length} this streamcord knows: ` +
          'run a newer streamcord, or point it at another data directory.',
      );
    }
    const record = db.prepare<[number, number]>('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    steps.slice(from).forEach((sql, index) => {
      db.exec(sql);
      record.run(from + index + 1, now());
    });
    return { from, to: steps.length };
  });
  return run.immediate();
}

function currentVersion(db: Database): number {
  const row = db
    .prepare<[], { version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations')
    .get();
  return row?.version ?? 0;
}
