import { describe, expect, it } from 'vitest';
import { discordNames, parseDiscordIds } from '../../../../src/platforms/discord/discord-names.js';

const A = '123456789012345678';
const B = '234567890123456789';
const C = '98765432109876543210';

describe('parseDiscordIds', () => {
  it('reads bare ids and every kind of mention, separated by spaces, commas or new lines', () => {
    expect(parseDiscordIds(`${A}, <#${B}>`)).toEqual([A, B]);
    expect(parseDiscordIds(`<@${A}>,<@!${B}>\n<@&${C}>`)).toEqual([A, B, C]);
    expect(parseDiscordIds(`  ${A}  ,, ${B} `)).toEqual([A, B]);
  });

  it('gives each id once', () => {
    expect(parseDiscordIds(`${A} <@${A}> <#${A}>`)).toEqual([A]);
  });

  it('gives nothing for nothing', () => {
    expect(parseDiscordIds('')).toEqual([]);
    expect(parseDiscordIds(' , ')).toEqual([]);
  });

  it.each([
    ['a name', `${A} general`],
    ['a short number', '12345'],
    ['a number too long for a snowflake', '1'.repeat(21)],
    ['a broken mention', `<#${A}`],
    ['a mention with text glued on', `<@${A}>x`],
    ['an emoji', `<:smile:${A}>`],
    ['@everyone', '@everyone'],
  ])('refuses the whole list when one item is %s', (_, text) => {
    expect(parseDiscordIds(text)).toBeNull();
  });
});

describe('discordNames', () => {
  it('names channels, people and roles as mentions', () => {
    expect([discordNames.channel(A), discordNames.user(A), discordNames.role(A)]).toEqual([
      `<#${A}>`,
      `<@${A}>`,
      `<@&${A}>`,
    ]);
  });
});
