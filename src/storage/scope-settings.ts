import type { ScopeSettings } from '../core/ports/storage.js';

/** Nothing set: the store keeps no record of the scope. */
export function isEmptySettings(settings: ScopeSettings): boolean {
  return Object.values(settings).every((value) => value === undefined);
}
