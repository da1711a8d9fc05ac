import type { Caller } from './caller.js';
import type { Access, Command, CommandContext, CommandData } from './command.js';
import type { Logger } from '../ports/logger.js';
import { commandText } from '../user-text.js';

// Runs a command by name: unknown names, callers without access and bad option values get a short
// private answer; an error while running is logged and explained, never thrown to the platform.

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
  for (const option of data.options) {
    if (option.type !== 'string') continue;
    const value = context.options.string(option.name);
    if (value === null) {
      if (option.required) return commandText.missing(option.name);
    } else if (option.maxLength !== undefined && value.length > option.maxLength) {
      return commandText.tooLong(option.name, option.maxLength);
    } else if (option.minLength !== undefined && value.length < option.minLength) {
      return commandText.tooShort(option.name, option.minLength);
    }
  }
  return null;
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
