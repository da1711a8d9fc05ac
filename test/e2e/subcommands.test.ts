import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/command.js';
import { commandText } from '../../src/core/user-text.js';
import type { CommandOptionValue, FakeDiscord } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// A command with a subcommand group and a choice option, end to end: registered with Discord at
// start, run as Discord sends it, validated against the subcommand run, read by the command.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const { Subcommand, SubcommandGroup, String: Text } = ApplicationCommandOptionType;

interface Seen {
  readonly group: string | null;
  readonly subcommand: string | null;
  readonly mode: string | null;
  readonly note: string | null;
}

/** `/prefs rules set mode:<strict|relaxed> [note]` and `/prefs show`; it says what it read. */
function prefsCommand(seen: Seen[]): Command {
  return {
    data: {
      name: 'prefs',
      description: 'Preferences',
      access: 'everyone',
      options: [
        { type: 'subcommand', name: 'show', description: 'Show them', options: [] },
        {
          type: 'group',
          name: 'rules',
          description: 'House rules',
          subcommands: [
            {
              type: 'subcommand',
              name: 'set',
              description: 'Set the mode',
              options: [
                {
                  type: 'string',
                  name: 'mode',
                  description: 'How strict',
                  required: true,
                  choices: [
                    { name: 'Strict', value: 'strict' },
                    { name: 'Relaxed', value: 'relaxed' },
                  ],
                },
                { type: 'string', name: 'note', description: 'Why', maxLength: 20 },
              ],
            },
          ],
        },
      ],
    },
    execute: async ({ options, respondPrivately }) => {
      const read = {
        group: options.group(),
        subcommand: options.subcommand(),
        mode: options.string('mode'),
        note: options.string('note'),
      };
      seen.push(read);
      await respondPrivately(`ran ${JSON.stringify(read)}`);
    },
  };
}

/** `/prefs rules set` with these values, nested as Discord sends them. */
function rulesSet(values: readonly CommandOptionValue[]): CommandOptionValue[] {
  return [{ name: 'rules', type: SubcommandGroup, options: [{ name: 'set', type: Subcommand, options: values }] }];
}

/** The private reply a command gave (the interaction's only message). */
async function privateReply(discord: FakeDiscord, options: readonly CommandOptionValue[]): Promise<string> {
  const interaction = discord.runCommand({ name: 'prefs', options });
  const callback = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(callback.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return discord.interactionMessages(interaction.id)[0]?.content ?? '';
}

describe('subcommands, groups and choices', () => {
  it('registers the command with its group and choices, and runs /prefs rules set mode:… with every value', async () => {
    const seen: Seen[] = [];
    harness = await startHarness({ commands: [prefsCommand(seen)] });
    const { discord } = harness;

    // The start-up sync sent the nested command, and the fake (checking like Discord) took it.
    expect(discord.commandRequests().writes).toBe(1);
    expect(discord.registeredCommands()).toMatchObject([
      {
        name: 'prefs',
        options: [
          { type: Subcommand, name: 'show' },
          {
            type: SubcommandGroup,
            name: 'rules',
            options: [
              { type: Subcommand, name: 'set', options: [{ name: 'mode', choices: [{ value: 'strict' }, {}] }, {}] },
            ],
          },
        ],
      },
    ]);

    const reply = await privateReply(
      discord,
      rulesSet([
        { name: 'mode', type: Text, value: 'relaxed' },
        { name: 'note', type: Text, value: ' weekends ' },
      ]),
    );
    const expected = { group: 'rules', subcommand: 'set', mode: 'relaxed', note: 'weekends' };
    expect(seen).toEqual([expected]);
    expect(reply).toBe(`ran ${JSON.stringify(expected)}`);

    await privateReply(discord, [{ name: 'show', type: Subcommand }]);
    expect(seen[1]).toEqual({ group: null, subcommand: 'show', mode: null, note: null });
  });

  it('refuses privately a value that is not among the choices, or too long for the subcommand run', async () => {
    const seen: Seen[] = [];
    harness = await startHarness({ commands: [prefsCommand(seen)] });
    const { discord, anthropic } = harness;

    const notAChoice = await privateReply(discord, rulesSet([{ name: 'mode', type: Text, value: 'chaotic' }]));
    expect(notAChoice).toBe(commandText.notAChoice('mode', ['Strict', 'Relaxed']));
    const tooLong = await privateReply(
      discord,
      rulesSet([
        { name: 'mode', type: Text, value: 'strict' },
        { name: 'note', type: Text, value: 'x'.repeat(21) },
      ]),
    );
    expect(tooLong).toBe(commandText.tooLong('note', 20));
    const noSubcommand = await privateReply(discord, []);
    expect(noSubcommand).toBe(commandText.subcommandNeeded('prefs', ['show', 'rules set']));
    expect(seen).toEqual([]);
    expect(anthropic.requests).toEqual([]);
  });
});
