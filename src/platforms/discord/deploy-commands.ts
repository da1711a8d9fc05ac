import { REST, Routes } from 'discord.js';
import type { DeployConfig } from '../../config.js';
import type { Command } from '../../core/commands/command.js';
import { slashCommandsJSON } from './slash-commands.js';

// Registers the command catalogue with Discord. PUT replaces the whole set, so commands removed from
// the catalogue disappear too. A guild sees changes at once; global commands can take up to an hour.

export interface Deployment {
  readonly scope: 'guild' | 'global';
  readonly names: readonly string[];
}

export async function deployCommands(config: DeployConfig, commands: readonly Command[]): Promise<Deployment> {
  const body = slashCommandsJSON(commands);
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.clientId, config.guildId)
    : Routes.applicationCommands(config.clientId);
  await rest.put(route, { body });
  return { scope: config.guildId ? 'guild' : 'global', names: body.map((command) => command.name) };
}
