import type { Redis } from 'ioredis';
import type { SettingsStore } from '../../core/ports/storage.js';
import { isEmptySettings } from '../scope-settings.js';
import { settingsFromJson, settingsToJson } from '../settings-json.js';
import type { OnInvalidSettings } from '../settings-json.js';
import type { RedisKeys } from './redis-keys.js';

// Settings as one JSON string per scope. An update is optimistic: it reads the JSON, applies the
// change, and writes with a compare-and-set script that writes only if the key still holds what was
// read; if another process wrote in between, it reads again and retries. A script rather than
// WATCH/MULTI/EXEC: WATCH belongs to a connection, and this one connection is shared by every update
// of the process, so two concurrent updates would watch (and unwatch) for each other; the script
// needs no connection of its own.

// Each failed attempt means another update succeeded, so this is only reached under a storm of
// writes to one scope that no admin produces; it bounds the loop rather than spinning forever.
const MAX_ATTEMPTS = 100;

export function createRedisSettings(redis: Redis, keys: RedisKeys, onInvalid: OnInvalidSettings): SettingsStore {
  const read = (scope: string, json: string | null | undefined) =>
    settingsFromJson(json, (error) => onInvalid(scope, error));
  return {
    async getMany(scopes) {
      // MGET needs at least one key.
      if (scopes.length === 0) return [];
      const values = await redis.mget(...scopes.map((scope) => keys.settings(scope)));
      return scopes.map((scope, index) => read(scope, values[index]));
    },
    async update(scope, change) {
      const key = keys.settings(scope);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const stored = await redis.get(key);
        const next = change(read(scope, stored));
        const json = isEmptySettings(next) ? '' : settingsToJson(next);
        if ((await redis.streamcordSetSettingsIf(key, stored ?? '', json)) === 1) return next;
      }
      throw new Error(`Settings of ${scope} changed under ${MAX_ATTEMPTS} updates in a row; not updated`);
    },
  };
}
