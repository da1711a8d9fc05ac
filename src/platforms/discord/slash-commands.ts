import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Command, CommandData, CommandOption } from '../../core/commands/command.js';

// Turns the command catalogue into Discord's slash-command JSON. discord.js's builders check every
// name, description and limit, so a broken definition stops the bot at start-up with its name.

export class CommandDefinitionError extends Error {
  override readonly name = 'CommandDefinitionError';
}

export function slashCommandsJSON(commands: readonly Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const names = new Set<string>();
  return commands.map(({ data }) => {
    if (names.has(data.name)) throw new CommandDefinitionError(`Two commands are named "${data.name}".`);
    names.add(data.name);
    try {
      return build(data).toJSON();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CommandDefinitionError(`Command "${data.name}" is not a valid slash command: ${reason}`, {
        cause: error,
      });
    }
  });
}

function build(data: CommandData): SlashCommandBuilder {
  const builder = new SlashCommandBuilder()
    .setName(data.name)
    .setDescription(data.description)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    // Said outright, not left to the app's settings, so what Discord stores is what we compare with.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  for (const option of data.options) addOption(builder, option);
  return builder;
}

function addOption(builder: SlashCommandBuilder, option: CommandOption): void {
  if (option.type === 'boolean') {
    builder.addBooleanOption((input) =>
      input
        .setName(option.name)
        .setDescription(option.description)
        .setRequired(option.required ?? false),
    );
    return;
  }
  builder.addStringOption((input) => {
    input
      .setName(option.name)
      .setDescription(option.description)
      .setRequired(option.required ?? false);
    if (option.minLength !== undefined) input.setMinLength(option.minLength);
    if (option.maxLength !== undefined) input.setMaxLength(option.maxLength);
    return input;
  });
}
