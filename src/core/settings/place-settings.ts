import type { ScopeSettings, SettingsStore, StoredAccessLists } from '../ports/storage.js';
import type { AnswerSettings } from '../prompt/question.js';
import { placeScopes } from './settings-scopes.js';
import type { Place } from './settings-scopes.js';

// What applies where a question is asked, in one read: each setting from the closest scope that has
// it (the channel, its parent channel, the guild), and the guild's access lists. What no scope sets
// is left undefined for the operator's defaults.

export interface PlaceSettings {
  readonly answer: AnswerSettings;
  readonly access: StoredAccessLists;
}

/**
 * `allowedModels`: a stored model the operator has since taken off the list (ALLOWED_MODELS) is
 * ignored, so the operator's list always wins.
 */
export async function loadPlaceSettings(
  store: SettingsStore,
  place: Place,
  allowedModels: ReadonlySet<string>,
): Promise<PlaceSettings> {
  const scopes = await store.getMany(placeScopes(place));
  const closest = <K extends keyof ScopeSettings>(key: K, usable: (value: ScopeSettings[K]) => boolean = () => true) =>
    scopes.find((scope) => scope[key] !== undefined && usable(scope[key]))?.[key];
  const guild = place.guildId === null ? undefined : scopes.at(-1);
  return {
    answer: {
      system: closest('persona'),
      model: closest('model', (model) => model !== undefined && allowedModels.has(model)),
      maxTokens: closest('maxTokens'),
    },
    access: guild?.access ?? {},
  };
}
