import type { Client, REST } from 'discord.js';
import type { Command } from '../../core/commands/command.js';
import type { Logger } from '../../core/ports/logger.js';
import { sameCommands } from './command-comparison.js';
import { readCommands, scopeOf, writeCommands } from './command-registration.js';
import type { CommandsBody, RegistrationTarget } from './command-registration.js';
import { slashCommandsJSON } from './slash-commands.js';

// At start-up the bot makes Discord's registered slash commands match the catalogue, so `/ask`
// works after `npm start` alone. It reads what is registered and writes only when that differs:
// a restart costs one GET and no registration (Discord allows 200 command creations a day per guild).

export type SyncOutcome = 'unchanged' | 'registered';

/** Reads the set registered at `target` and replaces it with `wanted` only if they differ. */
export async function syncCommands(rest: REST, target: RegistrationTarget, wanted: CommandsBody): Promise<SyncOutcome> {
  const registered = await readCommands(rest, target);
  if (sameCommands(registered, wanted, scopeOf(target))) return 'unchanged';
  await writeCommands(rest, target, wanted);
  return 'registered';
}

export interface StartupSyncOptions {
  /** The logged-in client: its session names the application, its REST carries the token. */
  readonly client: Client<true>;
  readonly commands: readonly Command[];
  /** SYNC_COMMANDS; false leaves registration to `npm run deploy-commands`. */
  readonly enabled: boolean;
  readonly guildId: string | undefined;
  readonly logger: Logger;
}

const FAILURE_HINT =
  'mentions still work; check that the bot was invited with the applications.commands scope ' +
  '(and is in DISCORD_GUILD_ID when set), or set SYNC_COMMANDS=false and run npm run deploy-commands';

/** The start-up sync. Never throws: a failure is logged and the bot runs on without it. */
export async function syncCommandsAtStart(options: StartupSyncOptions): Promise<void> {
  const { client, logger } = options;
  if (!options.enabled) {
    logger.info('slash command sync is off (SYNC_COMMANDS=false)');
    return;
  }
  // Shards share one registration: the process that runs shard 0 keeps it in step, the others
  // would only repeat its calls.
  if (client.shard !== null && !client.shard.ids.includes(0)) return;
  const target = { applicationId: client.application.id, guildId: options.guildId };
  const scope = scopeOf(target);
  const wanted = slashCommandsJSON(options.commands);
  const names = wanted.map((command) => `/${command.name}`);
  try {
    const outcome = await syncCommands(client.rest, target, wanted);
    logger.info(
      { scope, guildId: target.guildId, commands: names },
      outcome === 'registered' ? 'slash commands registered' : 'slash commands already up to date',
    );
  } catch (error) {
    logger.error({ err: error, scope, guildId: target.guildId, hint: FAILURE_HINT }, 'slash command sync failed');
  }
}
