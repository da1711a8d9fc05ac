import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType } from 'discord.js';
import type { RegistrationScope } from './command-registration.js';

// Whether the commands Discord has registered mean the same as the ones we would send. Discord
// answers with fields it adds (id, application_id, version, guild_id), fills in defaults we leave
// out (nsfw: false, default_member_permissions: null, required: false…) and may leave out what is
// at its default; key order and the order of the commands mean nothing. So both sides are brought to
// one canonical form first: only the fields that change what users see, each with its default.

type Localizations = Readonly<Partial<Record<string, string | null>>> | null | undefined;

/** The fields of a command we compare; both Discord's answer and our request body fit it. */
export interface CommandShape {
  readonly type?: number | undefined;
  readonly name: string;
  readonly description?: string | undefined;
  readonly name_localizations?: Localizations;
  readonly description_localizations?: Localizations;
  readonly options?: readonly OptionShape[] | undefined;
  readonly default_member_permissions?: string | null | undefined;
  readonly dm_permission?: boolean | null | undefined;
  readonly nsfw?: boolean | undefined;
  readonly integration_types?: readonly number[] | null | undefined;
  readonly contexts?: readonly number[] | null | undefined;
}

interface OptionShape {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly name_localizations?: Localizations;
  readonly description_localizations?: Localizations;
  readonly required?: boolean | undefined;
  readonly autocomplete?: boolean | undefined;
  readonly choices?: readonly ChoiceShape[] | undefined;
  readonly options?: readonly OptionShape[] | undefined;
  readonly channel_types?: readonly number[] | undefined;
  readonly min_value?: number | undefined;
  readonly max_value?: number | undefined;
  readonly min_length?: number | undefined;
  readonly max_length?: number | undefined;
}

interface ChoiceShape {
  readonly name: string;
  readonly name_localizations?: Localizations;
  readonly value: string | number;
}

const GROUPING_OPTIONS: readonly number[] = [
  ApplicationCommandOptionType.Subcommand,
  ApplicationCommandOptionType.SubcommandGroup,
];

/** True when `registered` holds exactly the commands of `wanted`, field for field. */
export function sameCommands(
  registered: readonly CommandShape[],
  wanted: readonly CommandShape[],
  scope: RegistrationScope,
): boolean {
  const have = keyed(registered, scope);
  const want = keyed(wanted, scope);
  return have.size === want.size && [...want].every(([key, form]) => have.get(key) === form);
}

// A command is known by its type and name (Discord's own uniqueness rule); its value is its
// canonical form as JSON, built with a fixed key order so that equal commands give equal strings.
function keyed(commands: readonly CommandShape[], scope: RegistrationScope): Map<string, string> {
  return new Map(
    commands.map((command) => {
      const canonical = canonicalCommand(command, scope);
      return [`${canonical.type}:${command.name}`, JSON.stringify(canonical)];
    }),
  );
}

function canonicalCommand(command: CommandShape, scope: RegistrationScope) {
  const contexts = command.contexts ?? null;
  return {
    type: command.type ?? ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description ?? '',
    name_localizations: canonicalLocalizations(command.name_localizations),
    description_localizations: canonicalLocalizations(command.description_localizations),
    options: (command.options ?? []).map(canonicalOption),
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: command.nsfw ?? false,
    // Discord applies these three to global commands only, and may answer anything for a guild's.
    ...(scope === 'global'
      ? {
          integration_types: sorted(command.integration_types ?? [ApplicationIntegrationType.GuildInstall]),
          contexts: contexts === null ? null : sorted(contexts),
          // The deprecated form of contexts, which Discord derives from them when they are given.
          dm_permission: contexts === null ? (command.dm_permission ?? true) : null,
        }
      : {}),
  };
}

function canonicalOption(option: OptionShape): object {
  const grouping = GROUPING_OPTIONS.includes(option.type);
  return {
    type: option.type,
    name: option.name,
    description: option.description,
    name_localizations: canonicalLocalizations(option.name_localizations),
    description_localizations: canonicalLocalizations(option.description_localizations),
    // Subcommands and groups have no `required`.
    required: grouping ? null : (option.required ?? false),
    autocomplete: option.autocomplete ?? false,
    // Choices and sub-options are shown in this order, so their order counts.
    choices: (option.choices ?? []).map((choice) => ({
      name: choice.name,
      name_localizations: canonicalLocalizations(choice.name_localizations),
      value: choice.value,
    })),
    options: (option.options ?? []).map(canonicalOption),
    channel_types: sorted(option.channel_types ?? []),
    min_value: option.min_value ?? null,
    max_value: option.max_value ?? null,
    min_length: option.min_length ?? null,
    max_length: option.max_length ?? null,
  };
}

/** Missing, null and {} all mean "no translations"; entries sorted by locale. */
function canonicalLocalizations(localizations: Localizations): [string, string | null][] {
  return Object.entries(localizations ?? {})
    .filter((entry): entry is [string, string | null] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
