import { ApplicationCommandOptionType } from 'discord.js';
import type {
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandInteractionDataSubcommandGroupOption,
  APIApplicationCommandInteractionDataSubcommandOption,
} from 'discord.js';
import type { CommandOptionBasicValue, CommandOptionNested, CommandOptionValue } from './types.js';

/**
 * The options `runCommand` takes, checked and shaped as Discord sends them in an interaction's
 * `data.options`: values, or the one subcommand or group the user picked with its own nested.
 * A wrong test input throws at `runCommand`, not later in the client.
 */

/** A command's options: its values, or the one subcommand or group the user picked. */
export function dataOptions(options: readonly CommandOptionValue[]): APIApplicationCommandInteractionDataOption[] {
  const [first, ...rest] = options;
  if (first === undefined || !isNested(first)) return basicOptions(options);
  if (rest.length > 0) throw alone(first);
  return [first.type === ApplicationCommandOptionType.SubcommandGroup ? groupOption(first) : subcommandOption(first)];
}

function groupOption(group: CommandOptionNested): APIApplicationCommandInteractionDataSubcommandGroupOption {
  const [only, ...rest] = group.options ?? [];
  if (
    only === undefined ||
    rest.length > 0 ||
    !isNested(only) ||
    only.type !== ApplicationCommandOptionType.Subcommand
  ) {
    throw new Error(`fake-discord: group '${group.name}' needs exactly one subcommand in its options`);
  }
  return { name: group.name, type: ApplicationCommandOptionType.SubcommandGroup, options: [subcommandOption(only)] };
}

/** `options` always present, empty for a subcommand without values (discord.js takes either). */
function subcommandOption(subcommand: CommandOptionNested): APIApplicationCommandInteractionDataSubcommandOption {
  return {
    name: subcommand.name,
    type: ApplicationCommandOptionType.Subcommand,
    options: basicOptions(subcommand.options ?? []),
  };
}

function basicOptions(options: readonly CommandOptionValue[]): APIApplicationCommandInteractionDataBasicOption[] {
  return options.map((option) => {
    if (isNested(option)) throw alone(option);
    return dataOption(option);
  });
}

function isNested(option: CommandOptionValue): option is CommandOptionNested {
  const nested =
    option.type === ApplicationCommandOptionType.Subcommand ||
    option.type === ApplicationCommandOptionType.SubcommandGroup;
  if (nested && 'value' in option) throw new Error(`fake-discord: subcommand or group '${option.name}' has no value`);
  return nested;
}

function alone(option: CommandOptionValue): Error {
  return new Error(
    `fake-discord: subcommand or group '${option.name}' must be the only option at its level, as Discord sends it`,
  );
}

/** Checks a value fits its option type now, so a wrong test input fails at runCommand. */
function dataOption(option: CommandOptionBasicValue): APIApplicationCommandInteractionDataBasicOption {
  const { name, type, value } = option;
  const wrong = (expected: string): Error =>
    new Error(`fake-discord: option '${name}' of type ${type} needs ${expected}, got ${JSON.stringify(value)}`);
  switch (type) {
    case ApplicationCommandOptionType.String:
      if (typeof value !== 'string') throw wrong('a string');
      return { name, type, value };
    case ApplicationCommandOptionType.Integer:
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong('an integer');
      return { name, type, value };
    case ApplicationCommandOptionType.Number:
      if (typeof value !== 'number') throw wrong('a number');
      return { name, type, value };
    case ApplicationCommandOptionType.Boolean:
      if (typeof value !== 'boolean') throw wrong('a boolean');
      return { name, type, value };
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Role:
    case ApplicationCommandOptionType.Mentionable:
    case ApplicationCommandOptionType.Attachment:
      if (typeof value !== 'string') throw wrong('an id');
      return { name, type, value };
    default:
      throw new Error(`fake-discord: runCommand supports plain options only, not type ${type} ('${name}')`);
  }
}
