import type { Database } from 'better-sqlite3';
import type { ScopeSettings, SettingsStore } from '../../core/ports/storage.js';
import { isEmptySettings } from '../scope-settings.js';
import { settingsFromJson, settingsToJson } from '../settings-json.js';
import type { OnInvalidSettings } from '../settings-json.js';
import { promised } from './promised.js';

// Settings as one JSON row per scope. An update reads, changes and writes in one IMMEDIATE
// transaction: it holds the write lock from its read, so an update from another connection (another
// process) waits for it and starts from what it wrote, and no update is lost.

export function createSqliteSettings(db: Database, onInvalid: OnInvalidSettings): SettingsStore {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM scope_settings WHERE scope = ?');
  const put = db.prepare<[string, string]>(`
    INSERT INTO scope_settings (scope, value) VALUES (?, ?)
    ON CONFLICT (scope) DO UPDATE SET value = excluded.value`);
  const remove = db.prepare<[string]>('DELETE FROM scope_settings WHERE scope = ?');

  const read = (scope: string) => settingsFromJson(get.get(scope)?.value, (error) => onInvalid(scope, error));
  // One read transaction: every scope is read from the same state of the file.
  const getMany = db.transaction((scopes: readonly string[]) => scopes.map(read));
  const update = db.transaction((scope: string, change: (current: ScopeSettings) => ScopeSettings) => {
    const next = change(read(scope));
    if (isEmptySettings(next)) remove.run(scope);
    else put.run(scope, settingsToJson(next));
    return next;
  });

  return {
    getMany: (scopes) => promised(() => getMany(scopes)),
    update: (scope, change) => promised(() => update.immediate(scope, change)),
  };
}
