import type { Database } from 'better-sqlite3';
import type { TokenCounts, UsageStore } from '../../core/ports/storage.js';
import { NO_TOKENS } from '../token-counts.js';
import { promised } from './promised.js';

// Token counters as one row per key; an add is one statement, so it is atomic across connections.

const TOTALS = 'input, output, cache_read AS cacheRead, cache_creation AS cacheCreation';

export function createSqliteUsage(db: Database): UsageStore {
  const add = db.prepare<[{ key: string } & TokenCounts], TokenCounts>(`
    INSERT INTO usage_counters (key, input, output, cache_read, cache_creation)
    VALUES (@key, @input, @output, @cacheRead, @cacheCreation)
    ON CONFLICT (key) DO UPDATE SET
      input = input + excluded.input,
      output = output + excluded.output,
      cache_read = cache_read + excluded.cache_read,
      cache_creation = cache_creation + excluded.cache_creation
    RETURNING ${TOTALS}`);
  const get = db.prepare<[string], TokenCounts>(`SELECT ${TOTALS} FROM usage_counters WHERE key = ?`);

  return {
    add: (key, tokens) =>
      promised(() => {
        const { input, output, cacheRead, cacheCreation } = tokens;
        const totals = add.get({ key, input, output, cacheRead, cacheCreation });
        // RETURNING always yields the row it wrote.
        if (!totals) throw new Error(`Adding usage to ${key} returned no totals`);
        return totals;
      }),
    get: (key) => promised(() => get.get(key) ?? NO_TOKENS),
  };
}
