import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandAttachmentOption,
  SlashCommandBooleanOption,
  SlashCommandBuilder,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
} from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type {
  AttachmentOption,
  BooleanOption,
  Command,
  CommandData,
  CommandOption,
  StringOption,
  SubcommandGroupOption,
  SubcommandOption,
  ValueOption,
} from '../../core/commands/command.js';

// Turns the command catalogue into Discord's slash-command JSON. discord.js's builders check every
// name, description and limit, so a broken definition stops the bot at start-up with its name.

// Discord offers at most 25 choices; the builder's own error for more ("Invalid number value") says
// too little.
const MAX_CHOICES = 25;

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
    .setContexts(
      ...(data.serversOnly
        ? [InteractionContextType.Guild]
        : [InteractionContextType.Guild, InteractionContextType.BotDM]),
    )
    // Said outright, not left to the app's settings, so what Discord stores is what we compare with.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  // The builders accept the mix, Discord does not (APPLICATION_COMMAND_OPTIONS_TYPE_INVALID).
  const grouping = data.options.filter((option) => !isValueOption(option)).length;
  if (grouping > 0 && grouping < data.options.length) {
    throw new Error('options mix subcommands or groups with value options, which Discord refuses');
  }
  for (const option of data.options) addOption(builder, option);
  return builder;
}

function addOption(builder: SlashCommandBuilder, option: CommandOption): void {
  if (option.type === 'subcommand') builder.addSubcommand(subcommand(option));
  else if (option.type === 'group') builder.addSubcommandGroup(group(option));
  else addValueOption(builder, option);
}

function group(option: SubcommandGroupOption): SlashCommandSubcommandGroupBuilder {
  return naming(`group "${option.name}"`, () => {
    const builder = new SlashCommandSubcommandGroupBuilder().setName(option.name).setDescription(option.description);
    for (const each of option.subcommands) builder.addSubcommand(subcommand(each));
    return builder;
  });
}

function subcommand(option: SubcommandOption): SlashCommandSubcommandBuilder {
  return naming(`subcommand "${option.name}"`, () => {
    const builder = new SlashCommandSubcommandBuilder().setName(option.name).setDescription(option.description);
    for (const value of option.options) addValueOption(builder, value);
    return builder;
  });
}

/** What takes value options: a command without subcommands, or a subcommand. */
interface ValueOptionHolder {
  addStringOption(option: SlashCommandStringOption): unknown;
  addBooleanOption(option: SlashCommandBooleanOption): unknown;
  addAttachmentOption(option: SlashCommandAttachmentOption): unknown;
}

function addValueOption(holder: ValueOptionHolder, option: ValueOption): void {
  if (option.type === 'boolean') holder.addBooleanOption(booleanOption(option));
  else if (option.type === 'attachment') holder.addAttachmentOption(attachmentOption(option));
  else holder.addStringOption(stringOption(option));
}

function booleanOption(option: BooleanOption): SlashCommandBooleanOption {
  return naming(`option "${option.name}"`, () =>
    new SlashCommandBooleanOption()
      .setName(option.name)
      .setDescription(option.description)
      .setRequired(option.required ?? false),
  );
}

function attachmentOption(option: AttachmentOption): SlashCommandAttachmentOption {
  return naming(`option "${option.name}"`, () =>
    new SlashCommandAttachmentOption()
      .setName(option.name)
      .setDescription(option.description)
      .setRequired(option.required ?? false),
  );
}

function stringOption(option: StringOption): SlashCommandStringOption {
  return naming(`option "${option.name}"`, () => {
    const input = new SlashCommandStringOption()
      .setName(option.name)
      .setDescription(option.description)
      .setRequired(option.required ?? false);
    if (option.minLength !== undefined) input.setMinLength(option.minLength);
    if (option.maxLength !== undefined) input.setMaxLength(option.maxLength);
    if (option.choices !== undefined && option.choices.length > MAX_CHOICES) {
      throw new Error(`${option.choices.length} choices, more than the ${MAX_CHOICES} Discord allows`);
    }
    if (option.choices !== undefined) input.addChoices(...option.choices);
    return input;
  });
}

/** Runs a builder step so that its error says which part of the command it is about. */
function naming<T>(part: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${part}: ${reason}`, { cause: error });
  }
}

function isValueOption(option: CommandOption): option is ValueOption {
  return option.type === 'string' || option.type === 'boolean' || option.type === 'attachment';
}
