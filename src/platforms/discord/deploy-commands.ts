import { REST } from 'discord.js';
import type { DeployConfig } from '../../config.js';
import type { Command } from '../../core/commands/command.js';
import { scopeOf, writeCommands } from './command-registration.js';
import type { RegistrationScope } from './command-registration.js';
import { slashCommandsJSON } from './slash-commands.js';

// `npm run deploy-commands`, for operators who turn the start-up sync off (SYNC_COMMANDS=false):
// registers the command catalogue with Discord unconditionally, without logging in to the gateway.

export interface Deployment {
  readonly scope: RegistrationScope;
  readonly names: readonly string[];
}

export async function deployCommands(config: DeployConfig, commands: readonly Command[]): Promise<Deployment> {
  const body = slashCommandsJSON(commands);
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const target = { applicationId: config.clientId, guildId: config.guildId };
  await writeCommands(rest, target, body);
  return { scope: scopeOf(target), names: body.map((command) => command.name) };
}
