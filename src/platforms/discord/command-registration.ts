import { Routes } from 'discord.js';
import type {
  APIApplicationCommand,
  REST,
  RESTGetAPIApplicationCommandsResult,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

// Where an application's slash commands are registered, and the two calls on that place that both
// `npm run deploy-commands` and the start-up sync make: read the set, replace it. PUT replaces the
// whole set, so commands removed from the catalogue disappear too. A guild sees changes at once;
// global commands can take up to an hour to show everywhere.

export interface RegistrationTarget {
  readonly applicationId: string;
  /** Register in this guild only (instant); unset: globally. */
  readonly guildId: string | undefined;
}

export type RegistrationScope = 'guild' | 'global';

export type CommandsBody = readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];

export function scopeOf(target: RegistrationTarget): RegistrationScope {
  return target.guildId === undefined ? 'global' : 'guild';
}

function routeOf(target: RegistrationTarget): `/${string}` {
  return target.guildId === undefined
    ? Routes.applicationCommands(target.applicationId)
    : Routes.applicationGuildCommands(target.applicationId, target.guildId);
}

/** The commands registered at `target` now, with the fields Discord adds (ids, version, defaults). */
export async function readCommands(rest: REST, target: RegistrationTarget): Promise<readonly APIApplicationCommand[]> {
  return (await rest.get(routeOf(target))) as RESTGetAPIApplicationCommandsResult;
}

/** Replaces the whole set registered at `target` with `body`. */
export async function writeCommands(rest: REST, target: RegistrationTarget, body: CommandsBody): Promise<void> {
  await rest.put(routeOf(target), { body });
}
