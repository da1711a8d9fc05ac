import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import type { APIApplicationCommand } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../../commands/index.js';
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
