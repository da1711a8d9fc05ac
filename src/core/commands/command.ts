import type { Caller } from './caller.js';

// A command as data plus one small function; the platform adapter turns the data into its own
// command format and hands the function a context made of core services, never platform objects.

interface OptionBase {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}

export type CommandOption = StringOption | BooleanOption;

/** Who may run a command: everyone, moderators (Manage Messages) and admins, or admins only. */
export type Access = 'everyone' | 'moderators' | 'admins';

export interface CommandData {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CommandOption[];
  /** Who may run it unless the configuration says otherwise. */
  readonly access: Access;
}

// Function properties rather than methods: commands destructure them.
export interface CommandOptions {
  /** The trimmed value; null when absent or blank. */
  readonly string: (name: string) => string | null;
  readonly boolean: (name: string) => boolean | null;
}

export interface CommandContext {
  /** The conversation the command runs in. */
  readonly channelId: string;
  readonly caller: Caller;
  readonly options: CommandOptions;
  /** Answers the caller only. */
  readonly respondPrivately: (text: string) => Promise<void>;
  /** Streams Claude's answer like a mention does; a private answer reads the history but adds nothing. */
  readonly answer: (prompt: string, options: { readonly private: boolean }) => Promise<void>;
  /** Stops the answer streaming in the channel; says why not, or null once stopped. */
  readonly stopStreaming: () => string | null;
  /** The channel's conversation. */
  readonly conversation: {
    /** Clears it once the answers asked before have ended; resolves to how many exchanges it dropped. */
    readonly clear: () => Promise<number>;
    /** An answer is under way in the channel: clear() waits for it. */
    readonly busy: () => boolean;
  };
}

export interface Command {
  readonly data: CommandData;
  execute(context: CommandContext): Promise<void>;
}
