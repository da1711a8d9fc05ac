import type { AccessLists } from '../access/access-policy.js';
import type { Names } from '../budget/usage-report.js';
import type { ScopeSettings, SettingsStore, StoredAccessLists } from '../ports/storage.js';
import { scopeKey } from './settings-scopes.js';
import type { Place } from './settings-scopes.js';
import { accessListText, settingsText, showSettings } from './settings-text.js';

// /config: what a guild's admins may change, validated, stored, and applied from the next question.
// Every operation answers in the admin's words: what changed, or why nothing did.

export type SettingName = 'persona' | 'model' | 'max_tokens';
export type SettingScope = 'channel' | 'guild';
export type AccessListName = 'allowed_channels' | 'allowed_roles' | 'allowed_users' | 'blocked_users';
export type ListChange = 'add' | 'remove' | 'clear';

/** A place in a guild: /config has nothing to set in a DM. */
export type GuildPlace = Place & { readonly guildId: string };

export interface Defaults {
  readonly system: string;
  readonly model: string;
  readonly maxTokens: number;
}

export interface SettingsAdminDeps {
  readonly store: SettingsStore;
  /** The models an admin may pick (ALLOWED_MODELS); the operator's default is always among them. */
  readonly allowedModels: ReadonlySet<string>;
  readonly defaults: Defaults;
  /** The operator's lists, which a guild's own lists replace. */
  readonly operatorAccess: Omit<AccessLists, 'adminIds'>;
  /** The ids in what an admin typed (ids or mentions, separated by spaces or commas); null if any is not one. */
  readonly parseIds: (text: string) => string[] | null;
  readonly names: Names & { readonly role: (id: string) => string };
}

export interface SettingsAdmin {
  show(place: GuildPlace): Promise<string>;
  set(place: GuildPlace, scope: SettingScope, setting: SettingName, value: string): Promise<string>;
  reset(place: GuildPlace, scope: SettingScope): Promise<string>;
  editAccess(place: GuildPlace, change: ListChange, list: AccessListName, ids: string | null): Promise<string>;
}

export const PERSONA_MAX_LENGTH = 4000;
export const MAX_TOKENS_CEILING = 64_000;

/** Each list's field in the stored lists. */
export const LIST_FIELDS: Record<AccessListName, keyof StoredAccessLists> = {
  allowed_channels: 'allowedChannelIds',
  allowed_roles: 'allowedRoleIds',
  allowed_users: 'allowedUserIds',
  blocked_users: 'blockedUserIds',
};

export function createSettingsAdmin(deps: SettingsAdminDeps): SettingsAdmin {
  const { store } = deps;
  const scopeOf = (place: GuildPlace, scope: SettingScope) =>
    scope === 'guild' ? scopeKey.guild(place.guildId) : scopeKey.channel(place.channelIds[0] ?? '');

  return {
    async show(place) {
      const scopes = [...place.channelIds.map(scopeKey.channel), scopeKey.guild(place.guildId)];
      return showSettings(await store.getMany(scopes), scopes.length, deps);
    },
    async set(place, scope, setting, value) {
      const parsed = parseSetting(setting, value, deps.allowedModels);
      if (typeof parsed === 'string') return parsed;
      await store.update(scopeOf(place, scope), (current) => ({ ...current, ...parsed }));
      return settingsText.set(setting, scope);
    },
    async reset(place, scope) {
      // A guild's access lists are not settings of its answers: /config access clear resets them.
      await store.update(scopeOf(place, scope), ({ access }) => (access ? { access } : {}));
      return settingsText.reset(scope);
    },
    async editAccess(place, change, list, idsText) {
      const ids = change === 'clear' ? [] : deps.parseIds(idsText ?? '');
      if (ids === null || (change !== 'clear' && ids.length === 0)) return settingsText.badIds;
      const field = LIST_FIELDS[list];
      const fallback = list === 'blocked_users' ? [] : [...deps.operatorAccess[field]];
      const stored = await store.update(scopeKey.guild(place.guildId), ({ access, ...rest }) => {
        const changed = changedList(access ?? {}, field, change, ids, fallback);
        return changed ? { ...rest, access: changed } : rest;
      });
      return accessListText(list, stored.access?.[field], deps);
    },
  };
}

function changedList(
  lists: StoredAccessLists,
  field: keyof StoredAccessLists,
  change: ListChange,
  ids: readonly string[],
  fallback: readonly string[],
): StoredAccessLists | undefined {
  const { [field]: current, ...others } = lists;
  if (change === 'clear') return Object.keys(others).length === 0 ? undefined : others;
  // The first change starts from the operator's list, so adding one channel keeps the others.
  const base = new Set(current ?? fallback);
  for (const id of ids) {
    if (change === 'add') base.add(id);
    else base.delete(id);
  }
  return { ...others, [field]: [...base] };
}

function parseSetting(setting: SettingName, value: string, allowedModels: ReadonlySet<string>): ScopeSettings | string {
  switch (setting) {
    case 'persona':
      return value.length > PERSONA_MAX_LENGTH ? settingsText.personaTooLong(value.length) : { persona: value };
    case 'model':
      return allowedModels.has(value) ? { model: value } : settingsText.unknownModel(value, [...allowedModels]);
    case 'max_tokens': {
      const count = Number(value);
      const valid = Number.isInteger(count) && count >= 1 && count <= MAX_TOKENS_CEILING;
      return valid ? { maxTokens: count } : settingsText.badMaxTokens(value);
    }
  }
}
