import { ApplicationCommandOptionType } from 'discord.js';
import type { Report } from './command-validation.js';
import { isRecord } from './message-body.js';

/** Discord's checks of the choices a string, integer or number option offers. */

export const CHOICE_TYPES: readonly number[] = [
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Number,
];
const MAX_CHOICES = 25;
/** A choice's name, and a string choice's value, are 1 to 100 characters. */
const MAX_CHOICE_LENGTH = 100;

/** At most 25 choices, each a name and a value. */
export function checkChoices(value: unknown, path: readonly string[], report: Report): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    report(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const choices: unknown[] = value;
  if (choices.length > MAX_CHOICES) report(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CHOICES} or fewer in length.`);
  choices.forEach((choice, index) => checkChoice(choice, [...path, String(index)], report));
}

/** A name, and a value; text of 1 to 100 characters in both. */
function checkChoice(choice: unknown, path: readonly string[], report: Report): void {
  if (!isRecord(choice)) {
    report(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  for (const field of ['name', 'value']) {
    const text = choice[field];
    if (text === undefined || text === null) {
      report([...path, field], 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (typeof text === 'string' && (text.length < 1 || text.length > MAX_CHOICE_LENGTH)) {
      report([...path, field], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MAX_CHOICE_LENGTH} in length.`);
    }
  }
}
