import type { ScopeSettings, SettingsStore } from '../core/ports/storage.js';
import { isEmptySettings } from './scope-settings.js';

// Settings in this process's memory; an update is atomic because it never awaits.

export function createMemorySettings(): SettingsStore {
  const scopes = new Map<string, ScopeSettings>();
  return {
    getMany: (keys) => Promise.resolve(keys.map((key) => scopes.get(key) ?? {})),
    // In a promise's executor, so that a change that throws rejects, as with the other stores.
    update: (scope, change) =>
      new Promise((resolve) => {
        const next = change(scopes.get(scope) ?? {});
        if (isEmptySettings(next)) scopes.delete(scope);
        else scopes.set(scope, next);
        resolve(next);
      }),
  };
}
