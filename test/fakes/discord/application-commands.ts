import { ApplicationCommandType, type APIApplicationCommand } from 'discord.js';
import type { CommandDefinition } from './command-validation.js';
import type { SnowflakeGenerator } from './snowflakes.js';

const GLOBAL = 'global';

/** How often a set of commands was read (GET) and replaced (PUT) over REST. */
export interface CommandRequestCounts {
  readonly reads: number;
  readonly writes: number;
}

/**
 * The registered application commands: one global set and one set per guild. A PUT replaces a
 * whole set, but like Discord a command keeps its id when a command of the same name and type
 * was there before, and keeps its version when its definition did not change either.
 */
export class CommandRegistry {
  readonly #ids: SnowflakeGenerator;
  readonly #applicationId: string;
  readonly #sets = new Map<string, readonly APIApplicationCommand[]>();
  readonly #counts = new Map<string, CommandRequestCounts>();

  constructor(ids: SnowflakeGenerator, applicationId: string) {
    this.#ids = ids;
    this.#applicationId = applicationId;
  }

  /** The global set when `guildId` is undefined, else that guild's. */
  list(guildId: string | undefined): readonly APIApplicationCommand[] {
    return this.#sets.get(guildId ?? GLOBAL) ?? [];
  }

  /** The set as GET returns it, counted as a read. */
  read(guildId: string | undefined): readonly APIApplicationCommand[] {
    this.#count(guildId, 'reads');
    return this.list(guildId);
  }

  /** PUT: replaces the whole set, counted as a write. */
  replace(guildId: string | undefined, definitions: readonly CommandDefinition[]): readonly APIApplicationCommand[] {
    this.#count(guildId, 'writes');
    const previous = this.list(guildId);
    const next = definitions.map((definition) => this.#register(definition, guildId, previous));
    this.#sets.set(guildId ?? GLOBAL, next);
    return next;
  }

  /** Successful GETs and PUTs of the global set (no `guildId`) or of a guild's. */
  requestCounts(guildId: string | undefined): CommandRequestCounts {
    return this.#counts.get(guildId ?? GLOBAL) ?? { reads: 0, writes: 0 };
  }

  #count(guildId: string | undefined, kind: keyof CommandRequestCounts): void {
    const counts = this.requestCounts(guildId);
    this.#counts.set(guildId ?? GLOBAL, { ...counts, [kind]: counts[kind] + 1 });
  }

  /** The chat-input command a user runs by `name` where `guildId` says: guild commands shadow global ones. */
  resolve(name: string, guildId: string | undefined): APIApplicationCommand | undefined {
    const named = (command: APIApplicationCommand): boolean =>
      command.name === name && command.type === ApplicationCommandType.ChatInput;
    return (guildId === undefined ? undefined : this.list(guildId).find(named)) ?? this.list(undefined).find(named);
  }

  #register(
    definition: CommandDefinition,
    guildId: string | undefined,
    previous: readonly APIApplicationCommand[],
  ): APIApplicationCommand {
    const kept = previous.find((command) => command.name === definition.name && command.type === definition.type);
    const unchanged = kept !== undefined && JSON.stringify(definitionOf(kept)) === JSON.stringify(definition);
    return {
      id: kept?.id ?? this.#ids.next(),
      application_id: this.#applicationId,
      version: unchanged ? kept.version : this.#ids.next(),
      ...definition,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    };
  }
}

function definitionOf(command: APIApplicationCommand): CommandDefinition {
  const { id: _id, application_id: _app, version: _version, guild_id: _guild, ...definition } = command;
  return definition;
}
