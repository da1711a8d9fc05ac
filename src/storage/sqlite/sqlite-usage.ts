import type { Database } from 'better-sqlite3';
import type { Ranked, TokenCounts, UsageStore } from '../../core/ports/storage.js';
import { NO_TOKENS } from '../token-counts.js';
import { promised } from './promised.js';

// Token counters as one row per key, rankings as one row per member; an add or a rank is one
// statement, so it is atomic across connections.

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
  // One read transaction: every key is read from the same state of the file.
  const getMany = db.transaction((keys: readonly string[]) => keys.map((key) => get.get(key) ?? NO_TOKENS));
  const rank = db.prepare<[string, string, number]>(`
    INSERT INTO usage_rankings (ranking, member, score) VALUES (?, ?, ?)
    ON CONFLICT (ranking, member) DO UPDATE SET score = score + excluded.score`);
  const top = db.prepare<[string, number], Ranked>(
    'SELECT member, score FROM usage_rankings WHERE ranking = ? ORDER BY score DESC LIMIT ?',
  );

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
    getMany: (keys) => promised(() => getMany(keys)),
    rank: (ranking, member, amount) => promised(() => void rank.run(ranking, member, amount)),
    // SQLite reads a negative LIMIT as "no limit".
    top: (ranking, limit) => promised(() => top.all(ranking, Math.max(0, Math.floor(limit)))),
  };
}
