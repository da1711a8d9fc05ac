import type { Caller } from './caller.js';
import type { QuestionAttachment } from '../prompt/attachment.js';
import type { SettingsAdmin } from '../settings/settings-admin.js';
import type { Place } from '../settings/settings-scopes.js';

// A command as data plus one small function; the platform adapter turns the data into its own
// command format and hands the function a context made of core services, never platform objects.

interface OptionBase {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** One value a string option offers; the user picks its name, the command reads its value. */
export interface Choice {
  readonly name: string;
  readonly value: string;
}

export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The only values allowed, when set. */
  readonly choices?: readonly Choice[];
}

export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}

/** A file the caller picks (e.g. an image for /ask). */
export interface AttachmentOption extends OptionBase {
  readonly type: 'attachment';
}

/** An option that carries a value. */
export type ValueOption = StringOption | BooleanOption | AttachmentOption;

/** `/config show`: one of a command's subcommands, with its own options. */
export interface SubcommandOption {
  readonly type: 'subcommand';
  readonly name: string;
  readonly description: string;
  readonly options: readonly ValueOption[];
}

/** `/config access add`: a group of subcommands under one name. */
export interface SubcommandGroupOption {
  readonly type: 'group';
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly SubcommandOption[];
}

/** A command's options are either values, or subcommands and groups of them (never both). */
export type CommandOption = ValueOption | SubcommandOption | SubcommandGroupOption;

/** Who may run a command: everyone, moderators (Manage Messages) and admins, or admins only. */
export type Access = 'everyone' | 'moderators' | 'admins';

export interface CommandData {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CommandOption[];
  /** Who may run it unless the configuration says otherwise. */
  readonly access: Access;
  /** Offered in servers only, not in direct messages (e.g. server settings). */
  readonly serversOnly?: boolean;
}

// Function properties rather than methods: commands destructure them.
export interface CommandOptions {
  /** The trimmed value; null when absent or blank. */
  readonly string: (name: string) => string | null;
  readonly boolean: (name: string) => boolean | null;
  /** The file picked for an attachment option, described for the core; null when none. */
  readonly attachment: (name: string) => QuestionAttachment | null;
  /** The subcommand run (`show` of `/config show`, `add` of `/config access add`); null when none. */
  readonly subcommand: () => string | null;
  /** The group of the subcommand run (`access` of `/config access add`); null when none. */
  readonly group: () => string | null;
}

export interface CommandContext {
  /** The conversation the command runs in. */
  readonly channelId: string;
  /** Where the command runs: the guild (null in a DM), the channel and what it lives in. */
  readonly place: Place;
  readonly caller: Caller;
  readonly options: CommandOptions;
  /** Answers the caller only. */
  readonly respondPrivately: (text: string) => Promise<void>;
  /** Streams Claude's answer like a mention does; a private answer reads the history but adds nothing. */
  readonly answer: (
    prompt: string,
    options: { readonly private: boolean; readonly attachments?: readonly QuestionAttachment[] },
  ) => Promise<void>;
  /** Stops the answer streaming in the channel; says why not, or null once stopped. */
  readonly stopStreaming: () => string | null;
  /** The caller's use today (and, for an admin, the guild's), as /usage shows it. */
  readonly usageReport: () => Promise<string>;
  /** What /config changes. */
  readonly settings: SettingsAdmin;
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
