import type { Caller } from './caller.js';
import type {
  Access,
  Command,
  CommandContext,
  CommandData,
  CommandOption,
  CommandOptions,
  SubcommandGroupOption,
  SubcommandOption,
  ValueOption,
} from './command.js';
import type { Logger } from '../ports/logger.js';
import { commandText } from '../user-text.js';

// Runs a command by name: unknown names, callers without access, a missing subcommand and bad option
// values (those of the subcommand run) get a short private answer; an error while running is logged and explained, never thrown to the platform.

export interface CommandRunnerOptions {
  readonly commands: readonly Command[];
  /** Per-command access from the configuration, overriding each command's default. */
  readonly access: Readonly<Record<string, Access>>;
  readonly logger: Logger;
}

export type RunCommand = (name: string, context: CommandContext) => Promise<void>;

export function createCommandRunner(options: CommandRunnerOptions): RunCommand {
  const byName = new Map(options.commands.map((command) => [command.data.name, command]));

  async function run(name: string, context: CommandContext): Promise<void> {
    const command = byName.get(name);
    if (!command) return context.respondPrivately(commandText.unknown);
    const refusal = refuse(command.data, options.access[name] ?? command.data.access, context);
    if (refusal !== null) return context.respondPrivately(refusal);
    return command.execute(context);
  }

  return async (name, context) => {
    try {
      await run(name, context);
    } catch (error) {
      options.logger.error({ err: error, command: name, channelId: context.channelId }, 'command failed');
      await context.respondPrivately(commandText.failed).catch((replyError: unknown) => {
        options.logger.warn({ err: replyError, command: name }, 'could not tell the user a command failed');
      });
    }
  };
}

function refuse(data: CommandData, access: Access, context: CommandContext): string | null {
  if (!mayRun(access, context.caller)) return commandText.notAllowed(data.name, access);
  const run = optionsRun(data, context.options);
  if (run === null) return commandText.subcommandNeeded(data.name, subcommandPaths(data));
  for (const option of run) {
    const refusal = refuseValue(option, context.options);
    if (refusal !== null) return refusal;
  }
  return null;
}

/**
 * The value options of what runs: the command's own, or those of the subcommand the caller picked.
 * Null when the command has subcommands and none of them was given (Discord never sends that for
 * the command it has registered, but a stale registration can).
 */
function optionsRun(data: CommandData, given: CommandOptions): readonly ValueOption[] | null {
  const values = data.options.filter(isValueOption);
  if (values.length === data.options.length) return values;
  const group = given.group();
  const siblings =
    group === null
      ? data.options.filter((option): option is SubcommandOption => option.type === 'subcommand')
      : data.options.find((option): option is SubcommandGroupOption => option.type === 'group' && option.name === group)
          ?.subcommands;
  const name = given.subcommand();
  return siblings?.find((subcommand) => subcommand.name === name)?.options ?? null;
}

function refuseValue(option: ValueOption, given: CommandOptions): string | null {
  if (option.type === 'boolean') {
    return option.required && given.boolean(option.name) === null ? commandText.missing(option.name) : null;
  }
  if (option.type === 'attachment') {
    return option.required && given.attachment(option.name) === null ? commandText.missing(option.name) : null;
  }
  const value = given.string(option.name);
  if (value === null) return option.required ? commandText.missing(option.name) : null;
  if (option.choices !== undefined && !option.choices.some((choice) => choice.value === value)) {
    return commandText.notAChoice(
      option.name,
      option.choices.map((choice) => choice.name),
    );
  }
  if (option.maxLength !== undefined && value.length > option.maxLength) {
    return commandText.tooLong(option.name, option.maxLength);
  }
  if (option.minLength !== undefined && value.length < option.minLength) {
    return commandText.tooShort(option.name, option.minLength);
  }
  return null;
}

function isValueOption(option: CommandOption): option is ValueOption {
  return option.type === 'string' || option.type === 'boolean' || option.type === 'attachment';
}

/** `show`, `access add`…: every way to run a command that has subcommands. */
function subcommandPaths(data: CommandData): string[] {
  return data.options.flatMap((option) => {
    if (option.type === 'subcommand') return [option.name];
    if (option.type === 'group') return option.subcommands.map((subcommand) => `${option.name} ${subcommand.name}`);
    return [];
  });
}

function mayRun(access: Access, caller: Caller): boolean {
  switch (access) {
    case 'everyone':
      return true;
    case 'moderators':
      return caller.isModerator || caller.isAdmin;
    case 'admins':
      return caller.isAdmin;
  }
}
