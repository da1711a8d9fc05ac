import type { ScopeSettings } from '../ports/storage.js';
import type { AccessListName, Defaults, SettingName, SettingScope, SettingsAdminDeps } from './settings-admin.js';
import { LIST_FIELDS, MAX_TOKENS_CEILING, PERSONA_MAX_LENGTH } from './settings-admin.js';

// What /config tells an admin.

const PERSONA_PREVIEW = 300;

const settingWords: Record<SettingName, string> = { persona: 'persona', model: 'model', max_tokens: 'max tokens' };
const scopeWords: Record<SettingScope, string> = { channel: 'this channel', guild: 'this server' };

export const settingsText = {
  onlyInServers: '/config works in a server’s channels only.',
  unknownSubcommand:
    'Unknown /config subcommand. Discord may still show an old version of the command; try again shortly.',
  set: (setting: SettingName, scope: SettingScope) =>
    `✅ Set the ${settingWords[setting]} for ${scopeWords[scope]}. It applies from the next question.`,
  reset: (scope: SettingScope) =>
    `✅ Reset persona, model and max tokens for ${scopeWords[scope]}${scope === 'channel' ? ' (the server’s settings apply again)' : ' (the bot’s defaults apply again)'}.`,
  personaTooLong: (length: number) =>
    `⚠️ That persona is ${length} characters long; at most ${PERSONA_MAX_LENGTH}, please.`,
  unknownModel: (model: string, allowed: readonly string[]) =>
    `⚠️ \`${model}\` is not one of the models this bot may use: ${allowed.map((name) => `\`${name}\``).join(', ')}.`,
  badMaxTokens: (value: string) =>
    `⚠️ \`${value}\` is not a valid max tokens: a whole number from 1 to ${MAX_TOKENS_CEILING}, please.`,
  badIds:
    '⚠️ Those ids don’t parse. Give ids or mentions separated by spaces or commas, e.g. `123456789012345678, <#234567890123456789>`.',
} as const;

type Namer = SettingsAdminDeps['names'];

const listNaming: Record<AccessListName, { title: string; name: (names: Namer, id: string) => string }> = {
  allowed_channels: { title: 'Allowed channels', name: (names, id) => names.channel(id) },
  allowed_roles: { title: 'Allowed roles', name: (names, id) => names.role(id) },
  allowed_users: { title: 'Allowed users', name: (names, id) => names.user(id) },
  blocked_users: { title: 'Blocked users', name: (names, id) => names.user(id) },
};

/** One list as it now stands: the guild's own, or the operator's when the guild has none. */
export function accessListText(
  list: AccessListName,
  ids: readonly string[] | undefined,
  deps: Pick<SettingsAdminDeps, 'names' | 'operatorAccess'>,
): string {
  const { title, name } = listNaming[list];
  if (ids === undefined) {
    const operator = list === 'blocked_users' ? [] : [...deps.operatorAccess[LIST_FIELDS[list]]];
    return `${title}: ${idsText(operator, list, deps.names)} (the bot’s defaults)`;
  }
  const names = ids.map((id) => name(deps.names, id));
  return `${title}: ${names.length === 0 ? emptyMeaning(list) : names.join(', ')} (set for this server)`;
}

function idsText(ids: readonly string[], list: AccessListName, names: Namer): string {
  return ids.length === 0 ? emptyMeaning(list) : ids.map((id) => listNaming[list].name(names, id)).join(', ');
}

const emptyMeaning = (list: AccessListName) => (list === 'blocked_users' ? 'nobody' : 'no restriction');

/** /config show: each setting with where it comes from, then the server's access lists. */
export function showSettings(scopes: readonly ScopeSettings[], count: number, deps: SettingsAdminDeps): string {
  const channels = scopes.slice(0, count - 1);
  const guild = scopes[count - 1] ?? {};
  // `usable`: as when a question is answered (place-settings), a stored model the operator has since
  // taken off ALLOWED_MODELS does not apply, so it is not shown as applying.
  const from = <K extends 'persona' | 'model' | 'maxTokens'>(
    key: K,
    fallback: Defaults[keyof Defaults],
    usable: (value: NonNullable<ScopeSettings[K]>) => boolean = () => true,
  ) => {
    const applies = (scope: ScopeSettings | undefined) => {
      const value = scope?.[key];
      return value !== undefined && usable(value);
    };
    const index = channels.findIndex(applies);
    if (index === 0) return { value: channels[0]?.[key], source: 'this channel' };
    if (index > 0) return { value: channels[index]?.[key], source: 'the parent channel' };
    if (applies(guild)) return { value: guild[key], source: 'this server' };
    return { value: fallback, source: 'the bot’s default' };
  };
  const { defaults } = deps;
  const persona = from('persona', defaults.system);
  const model = from('model', defaults.model, (name) => deps.allowedModels.has(name));
  const maxTokens = from('maxTokens', defaults.maxTokens);
  const lists = guild.access ?? {};
  return [
    '**Settings here**',
    `Persona (${persona.source}): ${preview(String(persona.value))}`,
    `Model (${model.source}): \`${String(model.value)}\` · allowed: ${[...deps.allowedModels].map((name) => `\`${name}\``).join(', ')}`,
    `Max tokens (${maxTokens.source}): ${String(maxTokens.value)}`,
    '',
    '**Who may ask in this server**',
    ...(Object.keys(LIST_FIELDS) as AccessListName[]).map((list) =>
      accessListText(list, lists[LIST_FIELDS[list]], deps),
    ),
  ].join('\n');
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > PERSONA_PREVIEW ? `“${oneLine.slice(0, PERSONA_PREVIEW)}…”` : `“${oneLine}”`;
}
