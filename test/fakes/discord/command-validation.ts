import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord.js';
import type { APIApplicationCommand, APIApplicationCommandOption } from 'discord.js';
import { invalidFormBodyErrors, type LocatedFieldError } from './errors.js';
import { CHOICE_TYPES, checkChoices } from './command-choices.js';
import { isRecord } from './message-body.js';

/**
 * Discord's checks of a command set sent with PUT .../commands, the ones a deploy script can get
 * wrong: names, descriptions, option types (subcommands and groups never beside value options),
 * option order, string lengths and choices. Every problem is reported at once in a 50035 error
 * tree, like Discord does.
 */

/** A validated command as the registry stores it, before it gets ids and a version. */
export type CommandDefinition = Omit<APIApplicationCommand, 'id' | 'application_id' | 'guild_id' | 'version'>;

/** Discord's documented rule for chat-input command and option names (plus: lowercase only). */
const NAME_PATTERN = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_NAME = 32;
const MAX_DESCRIPTION = 100;
const MAX_COMMANDS = 100;
const MAX_OPTIONS = 25;
const MAX_STRING_OPTION_LENGTH = 6000;

const COMMAND_TYPES = [ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message];
const SUBCOMMAND_TYPES: readonly number[] = [
  ApplicationCommandOptionType.Subcommand,
  ApplicationCommandOptionType.SubcommandGroup,
];
const OPTION_TYPES: readonly number[] = Object.values(ApplicationCommandOptionType).filter(
  (value): value is ApplicationCommandOptionType => typeof value === 'number',
);

/** Where options sit decides which option types they may have. */
type OptionLevel = 'command' | 'group' | 'subcommand';

export type Report = (path: readonly string[], code: string, message: string) => void;

/** The body of PUT .../commands as definitions, or a 50035 listing every problem. */
export function validateCommands(body: unknown): CommandDefinition[] {
  const errors: LocatedFieldError[] = [];
  const report: Report = (path, code, message) => errors.push({ path, error: { code, message } });
  if (!Array.isArray(body)) {
    report([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    throw invalidFormBodyErrors(errors);
  }
  const items: unknown[] = body;
  if (items.length > MAX_COMMANDS) report([], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_COMMANDS} or fewer in length.`);
  items.forEach((item, index) => checkCommand(item, [String(index)], report));
  if (hasDuplicates(items.filter(isRecord).map((item) => JSON.stringify([item['type'] ?? 1, item['name']])))) {
    report([], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
  }
  if (errors.length > 0) throw invalidFormBodyErrors(errors);
  return items.filter(isRecord).map(normalizeCommand);
}

function checkCommand(item: unknown, path: readonly string[], report: Report): void {
  if (!isRecord(item)) {
    report(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const type = item['type'] ?? ApplicationCommandType.ChatInput;
  if (!COMMAND_TYPES.some((known) => known === type)) {
    report([...path, 'type'], 'BASE_TYPE_CHOICES', `Value must be one of {${COMMAND_TYPES.join(', ')}}.`);
  }
  const chatInput = type === ApplicationCommandType.ChatInput;
  // Context-menu names may have spaces and capitals; only chat-input names follow the pattern.
  checkName(item['name'], [...path, 'name'], chatInput, report);
  if (!chatInput) return;
  checkDescription(item['description'], [...path, 'description'], report);
  checkOptions(item['options'], [...path, 'options'], 'command', report);
}

function checkName(value: unknown, path: readonly string[], strict: boolean, report: Report): void {
  if (typeof value !== 'string') {
    report(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  const length = [...value].length;
  if (length < 1 || length > MAX_NAME) {
    report(path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MAX_NAME} in length.`);
  } else if (strict && (!NAME_PATTERN.test(value) || value !== value.toLowerCase())) {
    report(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function checkDescription(value: unknown, path: readonly string[], report: Report): void {
  if (typeof value !== 'string') {
    report(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  const length = [...value].length;
  if (length < 1 || length > MAX_DESCRIPTION) {
    report(path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MAX_DESCRIPTION} in length.`);
  }
}

function checkOptions(value: unknown, path: readonly string[], level: OptionLevel, report: Report): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    report(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const options: unknown[] = value;
  if (options.length > MAX_OPTIONS) report(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_OPTIONS} or fewer in length.`);
  options.forEach((option, index) => checkOption(option, [...path, String(index)], level, report));
  const records = options.filter(isRecord);
  if (hasDuplicates(records.map((option) => JSON.stringify(option['name'])))) {
    report(path, 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
  }
  const mixed = mixedAt(records);
  if (mixed !== -1) {
    report(
      [...path, String(mixed)],
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
  }
  if (requiredAfterOptional(records)) {
    report(
      path,
      'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
      'Required options must be placed before non-required options',
    );
  }
}

function checkOption(option: unknown, path: readonly string[], level: OptionLevel, report: Report): void {
  if (!isRecord(option)) {
    report(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const type = option['type'];
  const allowed = allowedOptionTypes(level);
  if (typeof type !== 'number' || !allowed.includes(type)) {
    report([...path, 'type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
  }
  checkName(option['name'], [...path, 'name'], true, report);
  checkDescription(option['description'], [...path, 'description'], report);
  if (type === ApplicationCommandOptionType.String) {
    checkInteger(option['min_length'], [...path, 'min_length'], 0, report);
    checkInteger(option['max_length'], [...path, 'max_length'], 1, report);
  }
  if (typeof type === 'number' && CHOICE_TYPES.includes(type))
    checkChoices(option['choices'], [...path, 'choices'], report);
  if (type === ApplicationCommandOptionType.Subcommand) {
    checkOptions(option['options'], [...path, 'options'], 'subcommand', report);
  } else if (type === ApplicationCommandOptionType.SubcommandGroup) {
    checkOptions(option['options'], [...path, 'options'], 'group', report);
  }
}

/** The first option of another kind than the first one (subcommands and groups vs values), or -1. */
function mixedAt(options: readonly Record<string, unknown>[]): number {
  const grouping = (option: Record<string, unknown>): boolean =>
    typeof option['type'] === 'number' && SUBCOMMAND_TYPES.includes(option['type']);
  const [first] = options;
  return first === undefined ? -1 : options.findIndex((option) => grouping(option) !== grouping(first));
}

/** A command holds anything, a group only subcommands, a subcommand only plain options. */
function allowedOptionTypes(level: OptionLevel): readonly number[] {
  if (level === 'group') return [ApplicationCommandOptionType.Subcommand];
  if (level === 'subcommand') return OPTION_TYPES.filter((type) => !SUBCOMMAND_TYPES.includes(type));
  return OPTION_TYPES;
}

/** min_length / max_length of string options: integers within [min, 6000] when present. */
function checkInteger(value: unknown, path: readonly string[], min: number, report: Report): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    report(path, 'NUMBER_TYPE_COERCE', `Value ${JSON.stringify(value)} is not int.`);
  } else if (value < min) {
    report(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
  } else if (value > MAX_STRING_OPTION_LENGTH) {
    report(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${MAX_STRING_OPTION_LENGTH}.`);
  }
}

/** Subcommands and groups have no `required`; among plain options, required ones come first. */
function requiredAfterOptional(options: readonly Record<string, unknown>[]): boolean {
  let seenOptional = false;
  for (const option of options) {
    if (typeof option['type'] === 'number' && SUBCOMMAND_TYPES.includes(option['type'])) continue;
    if (option['required'] === true && seenOptional) return true;
    if (option['required'] !== true) seenOptional = true;
  }
  return false;
}

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

/** A validated command with Discord's defaults filled in, detached from the request body. */
function normalizeCommand(item: Record<string, unknown>): CommandDefinition {
  const type = COMMAND_TYPES.find((known) => known === item['type']) ?? ApplicationCommandType.ChatInput;
  const chatInput = type === ApplicationCommandType.ChatInput;
  const options = chatInput && Array.isArray(item['options']) ? cloneOptions(item['options']) : undefined;
  const permissions = item['default_member_permissions'];
  return {
    type,
    name: String(item['name']),
    description: chatInput ? String(item['description']) : '',
    ...(options === undefined ? {} : { options }),
    default_member_permissions: typeof permissions === 'string' ? permissions : null,
    dm_permission: item['dm_permission'] !== false,
    nsfw: item['nsfw'] === true,
    integration_types: enumList(item['integration_types'], ApplicationIntegrationType) ?? [
      ApplicationIntegrationType.GuildInstall,
    ],
    contexts: enumList(item['contexts'], InteractionContextType) ?? null,
  };
}

/**
 * Checked by checkOptions; copied so a caller mutating its request body cannot reach the store.
 * Like Discord's answers (discord.js fills a received option's missing `required` with false),
 * an option that is not required comes back without the field.
 */
function cloneOptions(options: unknown[]): APIApplicationCommandOption[] {
  return (structuredClone(options) as Record<string, unknown>[]).map((option) => {
    const { required, options: nested, ...rest } = option;
    return {
      ...rest,
      ...(required === true ? { required } : {}),
      ...(Array.isArray(nested) ? { options: cloneOptions(nested) } : {}),
    } as APIApplicationCommandOption;
  });
}

/** The members of a numeric enum found in `value`, or undefined when it is not a list. */
function enumList<E extends number>(value: unknown, enumObject: Record<string, string | E>): E[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const members = Object.values(enumObject).filter((member): member is E => typeof member === 'number');
  const list: unknown[] = value;
  return members.filter((member) => list.includes(member));
}
