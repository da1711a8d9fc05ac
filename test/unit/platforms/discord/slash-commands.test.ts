import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Command, CommandData, CommandOption } from '../../../../src/core/commands/command.js';
import { CommandDefinitionError, slashCommandsJSON } from '../../../../src/platforms/discord/slash-commands.js';

// Subcommands, groups and choices become Discord's nested options; what Discord would refuse stops
// the bot at start-up with the command's name and the part at fault.

const { Subcommand, SubcommandGroup, String: StringType, Boolean: BooleanType } = ApplicationCommandOptionType;

function command(options: readonly CommandOption[]): Command {
  const data: CommandData = { name: 'config', description: 'Settings', access: 'admins', options };
  return { data, execute: () => Promise.resolve() };
}

const scope = {
  type: 'string',
  name: 'scope',
  description: 'Where',
  choices: [
    { name: 'This channel', value: 'channel' },
    { name: 'The whole server', value: 'guild' },
  ],
} as const;

const config = command([
  { type: 'subcommand', name: 'show', description: 'Show the settings', options: [] },
  {
    type: 'subcommand',
    name: 'reset',
    description: 'Reset the settings',
    options: [scope],
  },
  {
    type: 'group',
    name: 'access',
    description: 'Allow and block lists',
    subcommands: [
      {
        type: 'subcommand',
        name: 'add',
        description: 'Add an id',
        options: [
          { type: 'string', name: 'id', description: 'The id', required: true, maxLength: 20 },
          { type: 'boolean', name: 'block', description: 'On the block list' },
        ],
      },
    ],
  },
]);

describe('slashCommandsJSON with subcommands', () => {
  it('nests subcommands, groups and string choices as Discord expects', () => {
    const [json] = slashCommandsJSON([config]);
    expect(json?.options).toEqual([
      { type: Subcommand, name: 'show', description: 'Show the settings', options: [] },
      {
        type: Subcommand,
        name: 'reset',
        description: 'Reset the settings',
        options: [
          {
            type: StringType,
            name: 'scope',
            description: 'Where',
            required: false,
            choices: [
              { name: 'This channel', value: 'channel' },
              { name: 'The whole server', value: 'guild' },
            ],
          },
        ],
      },
      {
        type: SubcommandGroup,
        name: 'access',
        description: 'Allow and block lists',
        options: [
          {
            type: Subcommand,
            name: 'add',
            description: 'Add an id',
            options: [
              { type: StringType, name: 'id', description: 'The id', required: true, max_length: 20 },
              { type: BooleanType, name: 'block', description: 'On the block list', required: false },
            ],
          },
        ],
      },
    ]);
  });

  it('refuses subcommands mixed with value options', () => {
    const mixed = command([{ type: 'subcommand', name: 'show', description: 'Show', options: [] }, scope]);
    expect(() => slashCommandsJSON([mixed])).toThrow(CommandDefinitionError);
    expect(() => slashCommandsJSON([mixed])).toThrow(/"config".*mix subcommands/);
  });

  it('names the part of a nested definition that is wrong', () => {
    const badName = command([
      {
        type: 'group',
        name: 'access',
        description: 'Lists',
        subcommands: [{ type: 'subcommand', name: 'Add Id', description: 'Add', options: [] }],
      },
    ]);
    expect(() => slashCommandsJSON([badName])).toThrow(/"config".*group "access": subcommand "Add Id"/);
    const choices = Array.from({ length: 26 }, (_, index) => ({ name: `n${index}`, value: `v${index}` }));
    const tooMany = command([{ type: 'string', name: 'pick', description: 'Pick', choices }]);
    expect(() => slashCommandsJSON([tooMany])).toThrow(/option "pick": 26 choices, more than the 25/);
    const badChoice = command([{ ...scope, choices: [{ name: '', value: 'x' }] }]);
    expect(() => slashCommandsJSON([badChoice])).toThrow(/option "scope"/);
  });
});
