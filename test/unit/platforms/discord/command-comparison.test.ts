import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import type { APIApplicationCommand } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../../commands/index.js';
import type { Command } from '../../../../src/core/commands/command.js';
import { sameCommands } from '../../../../src/platforms/discord/command-comparison.js';
import type { CommandShape } from '../../../../src/platforms/discord/command-comparison.js';
import { slashCommandsJSON } from '../../../../src/platforms/discord/slash-commands.js';

const wanted = slashCommandsJSON(commands);

/**
 * The catalogue as Discord answers a GET: ids, version and guild added, defaults filled in, an
 * optional option's `required` left out, keys in Discord's order, commands in another order.
 */
function asDiscordAnswers(guildId?: string): APIApplicationCommand[] {
  return wanted
    .map((command, index) => ({
      id: `12345678901234567${index}`,
      application_id: '123456789012345678',
      version: `22345678901234567${index}`,
      default_member_permissions: null,
      type: 1,
      name: command.name,
      description: command.description,
      dm_permission: true,
      contexts: [...(command.contexts ?? [])].reverse(),
      integration_types: [0],
      ...(command.options
        ? {
            options: command.options.map(({ required, ...option }) => ({
              ...option,
              ...(required === true ? { required } : {}),
            })),
          }
        : {}),
      nsfw: false,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    }))
    .reverse();
}

function changed(edit: (command: { -readonly [K in keyof CommandShape]: CommandShape[K] }) => void): CommandShape[] {
  const commands = structuredClone(asDiscordAnswers()) as CommandShape[];
  edit(commands.find((command) => command.name === 'ask') as CommandShape);
  return commands;
}

describe('sameCommands', () => {
  it("takes Discord's answer for the commands we sent as the same", () => {
    expect(sameCommands(asDiscordAnswers(), wanted, 'global')).toBe(true);
    expect(sameCommands(asDiscordAnswers('223456789012345678'), wanted, 'guild')).toBe(true);
  });

  it('takes missing, null and empty localizations as the same', () => {
    const answers = asDiscordAnswers().map((command) => ({ ...command, name_localizations: null }));
    expect(sameCommands(answers, wanted, 'global')).toBe(true);
    const localized = changed((ask) => Object.assign(ask, { description_localizations: { fr: 'Demander' } }));
    expect(sameCommands(localized, wanted, 'global')).toBe(false);
  });

  it('sees a changed description, option, option order or permission', () => {
    expect(
      sameCommands(
        changed((ask) => Object.assign(ask, { description: 'Other' })),
        wanted,
        'global',
      ),
    ).toBe(false);
    const options = (ask: CommandShape) => [...(ask.options ?? [])];
    expect(
      sameCommands(
        changed((ask) => Object.assign(ask, { options: options(ask).reverse() })),
        wanted,
        'global',
      ),
    ).toBe(false);
    expect(
      sameCommands(
        changed((ask) =>
          Object.assign(ask, { options: options(ask).map((option) => ({ ...option, max_length: 10 })) }),
        ),
        wanted,
        'global',
      ),
    ).toBe(false);
    const optionalPrompt = changed((ask) =>
      Object.assign(ask, { options: options(ask).map(({ required: _, ...option }) => option) }),
    );
    expect(sameCommands(optionalPrompt, wanted, 'global')).toBe(false);
    const extraOption = changed((ask) =>
      Object.assign(ask, {
        options: [...options(ask), { type: ApplicationCommandOptionType.Boolean, name: 'loud', description: 'Loud' }],
      }),
    );
    expect(sameCommands(extraOption, wanted, 'global')).toBe(false);
    const moderatorsOnly = changed((ask) => Object.assign(ask, { default_member_permissions: '8192' }));
    expect(sameCommands(moderatorsOnly, wanted, 'global')).toBe(false);
  });

  it('sees a missing, an extra and a renamed command', () => {
    expect(sameCommands(asDiscordAnswers().slice(1), wanted, 'global')).toBe(false);
    const extra = { ...asDiscordAnswers()[0], name: 'old' } as APIApplicationCommand;
    expect(sameCommands([...asDiscordAnswers(), extra], wanted, 'global')).toBe(false);
    expect(
      sameCommands(
        changed((ask) => Object.assign(ask, { name: 'question' })),
        wanted,
        'global',
      ),
    ).toBe(false);
    expect(sameCommands([], wanted, 'global')).toBe(false);
  });

  it('compares contexts and installation types for global commands only, where Discord applies them', () => {
    const guildOnly = changed((ask) => Object.assign(ask, { contexts: [InteractionContextType.Guild] }));
    expect(sameCommands(guildOnly, wanted, 'global')).toBe(false);
    expect(sameCommands(guildOnly, wanted, 'guild')).toBe(true);
    const userInstall = changed((ask) => Object.assign(ask, { integration_types: [0, 1] }));
    expect(sameCommands(userInstall, wanted, 'global')).toBe(false);
    expect(sameCommands(userInstall, wanted, 'guild')).toBe(true);
  });
});

describe('sameCommands with subcommands, groups and choices', () => {
  const scope = {
    type: 'string',
    name: 'scope',
    description: 'Where',
    choices: [
      { name: 'This channel', value: 'channel' },
      { name: 'The whole server', value: 'guild' },
    ],
  } as const;
  const config: Command = {
    data: {
      name: 'config',
      description: 'Settings',
      access: 'admins',
      options: [
        { type: 'subcommand', name: 'show', description: 'Show', options: [] },
        {
          type: 'subcommand',
          name: 'set',
          description: 'Set',
          options: [{ type: 'string', name: 'value', description: 'Value', required: true, maxLength: 100 }, scope],
        },
        {
          type: 'group',
          name: 'access',
          description: 'Lists',
          subcommands: [
            { type: 'subcommand', name: 'add', description: 'Add', options: [scope] },
            { type: 'subcommand', name: 'remove', description: 'Remove', options: [] },
          ],
        },
      ],
    },
    execute: () => Promise.resolve(),
  };
  const sent = slashCommandsJSON([config]);

  type Option = Record<string, unknown> & { options?: Option[]; choices?: Record<string, unknown>[] };

  /**
   * An option as Discord answers it: `required: false` left out at every depth, an empty sub-option
   * list left out, localizations null (choices too), the caller's locale in `*_localized`.
   */
  function asDiscordOption({ required, options, choices, ...option }: Option): Option {
    return {
      ...option,
      name_localizations: null,
      description_localizations: null,
      name_localized: option['name'],
      ...(required === true ? { required } : {}),
      ...(choices ? { choices: choices.map((choice) => ({ ...choice, name_localizations: null })) } : {}),
      ...(options && options.length > 0 ? { options: options.map(asDiscordOption) } : {}),
    };
  }

  function answered(edit: (options: Option[]) => void = () => {}): CommandShape[] {
    const [command] = structuredClone(sent);
    const options = (command?.options ?? []) as unknown as Option[];
    edit(options);
    const answer = {
      ...command,
      id: '123456789012345670',
      application_id: '123456789012345678',
      version: '223456789012345670',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      name: 'config',
      options: options.map(asDiscordOption),
    };
    // Discord's answer has fields (id, version…) that CommandShape leaves out.
    return [answer as unknown as CommandShape];
  }

  const set = (options: Option[]) => options[1]!.options!;
  const add = (options: Option[]) => options[2]!.options![0]!;

  it("takes Discord's answer for nested options and choices as the same", () => {
    expect(sameCommands(answered(), sent, 'global')).toBe(true);
    expect(sameCommands(answered(), sent, 'guild')).toBe(true);
  });

  it('sees a changed choice, choice order, sub-option or subcommand order', () => {
    const renamedChoice = answered((options) => Object.assign(set(options)[1]!.choices![0]!, { value: 'here' }));
    expect(sameCommands(renamedChoice, sent, 'global')).toBe(false);
    const reordered = answered((options) => set(options)[1]!.choices!.reverse());
    expect(sameCommands(reordered, sent, 'global')).toBe(false);
    const noChoices = answered((options) => delete add(options).options![0]!.choices);
    expect(sameCommands(noChoices, sent, 'global')).toBe(false);
    const longer = answered((options) => Object.assign(set(options)[0]!, { max_length: 200 }));
    expect(sameCommands(longer, sent, 'global')).toBe(false);
    const optionalValue = answered((options) => Object.assign(set(options)[0]!, { required: false }));
    expect(sameCommands(optionalValue, sent, 'global')).toBe(false);
    const swapped = answered((options) => options.reverse());
    expect(sameCommands(swapped, sent, 'global')).toBe(false);
    const flattened = answered((options) =>
      Object.assign(options[2]!, { type: ApplicationCommandOptionType.Subcommand }),
    );
    expect(sameCommands(flattened, sent, 'global')).toBe(false);
  });
});
