import type { Database } from 'better-sqlite3';
import type { RequestWindows, WindowTake } from '../../core/ports/storage.js';
import { windowOf } from '../request-window.js';
import { promised } from './promised.js';

// Request windows as one row per key: its current window. A take reads and writes in one IMMEDIATE
// transaction, which holds the write lock from its first read, so takes from other connections to
// the file (other processes) wait their turn instead of counting from the same stale row.
//
// Every take first deletes the windows that have ended, of every key (keys have windows of different
// lengths, so each row carries its own end): the table holds the windows still running, not every
// key ever seen.

interface WindowRow {
  readonly windowStart: number;
  readonly count: number;
}

interface WindowWrite {
  readonly key: string;
  readonly start: number;
  readonly count: number;
  readonly resetsAt: number;
}

export function createSqliteRequests(db: Database): RequestWindows {
  const sweep = db.prepare<[number]>('DELETE FROM request_windows WHERE resets_at <= ?');
  const read = db.prepare<[string], WindowRow>(
    'SELECT window_start AS windowStart, count FROM request_windows WHERE key = ?',
  );
  const write = db.prepare<[WindowWrite]>(`
    INSERT INTO request_windows (key, window_start, count, resets_at) VALUES (@key, @start, @count, @resetsAt)
    ON CONFLICT (key) DO UPDATE SET
      window_start = excluded.window_start, count = excluded.count, resets_at = excluded.resets_at`);

  const take = db.transaction((key: string, limit: number, windowMs: number, now: number): WindowTake => {
    const { start, resetsAt } = windowOf(now, windowMs);
    sweep.run(now);
    const current = read.get(key);
    const count = current?.windowStart === start ? current.count : 0;
    if (count >= limit) return { taken: false, count, resetsAt };
    write.run({ key, start, count: count + 1, resetsAt });
    return { taken: true, count: count + 1, resetsAt };
  });

  return {
    take: (key, limit, windowMs, now) => promised(() => take.immediate(key, limit, windowMs, now)),
  };
}
