import { describe, expect, it } from 'vitest';
import { loadPlaceSettings } from '../../../src/core/settings/place-settings.js';
import { scopeKey } from '../../../src/core/settings/settings-scopes.js';
import { settingsText } from '../../../src/core/settings/settings-text.js';
import { commandText } from '../../../src/core/user-text.js';
import { C1, C8, G1, MODELS, T1, U2, createCommandHarness, line } from './command-harness.js';

// /config as an admin runs it: the real settings admin over the memory storage.

describe('/config', () => {
  it('is for admins only: anyone else is told so and changes nothing', async () => {
    const { command, stored } = createCommandHarness();
    const values = { setting: 'persona', value: 'Pirate' };
    expect(await command('config', { subcommand: 'set', values, isAdmin: false })).toEqual([
      commandText.notAllowed('config', 'admins'),
    ]);
    expect(await stored(scopeKey.channel(C1))).toEqual({});
  });

  it('works in a server only', async () => {
    const { command } = createCommandHarness();
    expect(await command('config', { subcommand: 'show', place: { guildId: null, channelIds: ['dm1'] } })).toEqual([
      settingsText.onlyInServers,
    ]);
  });

  it('sets for this channel by default, or for the server, and show says which', async () => {
    const { command, storage } = createCommandHarness();
    expect(await command('config', { subcommand: 'set', values: { setting: 'persona', value: 'Pirate' } })).toEqual([
      settingsText.set('persona', 'channel'),
    ]);
    const values = { setting: 'model', value: 'claude-big', scope: 'guild' };
    expect(await command('config', { subcommand: 'set', values })).toEqual([settingsText.set('model', 'guild')]);
    const shown = await command('config', { subcommand: 'show' });
    expect(line(shown, 'Persona')).toBe('Persona (this channel): “Pirate”');
    expect(line(shown, 'Model')).toMatch(/^Model \(this server\): `claude-big`/);
    expect(line(shown, 'Max tokens')).toBe('Max tokens (the bot’s default): 1024');
    // In a thread of the channel: the parent's persona.
    const inThread = await command('config', { subcommand: 'show', place: { guildId: G1, channelIds: [T1, C1] } });
    expect(line(inThread, 'Persona')).toBe('Persona (the parent channel): “Pirate”');
    // What the next question asked here gets.
    expect((await loadPlaceSettings(storage.settings, { guildId: G1, channelIds: [C1] }, MODELS)).answer).toEqual({
      system: 'Pirate',
      model: 'claude-big',
      maxTokens: undefined,
    });
  });

  it('explains a bad value and stores nothing', async () => {
    const { command, stored } = createCommandHarness();
    const set = (setting: string, value: string) =>
      command('config', { subcommand: 'set', values: { setting, value } });
    expect(await set('model', 'gpt-4')).toEqual([settingsText.unknownModel('gpt-4', [...MODELS])]);
    expect(await set('max_tokens', '0')).toEqual([settingsText.badMaxTokens('0')]);
    expect(await set('max_tokens', 'abc')).toEqual([settingsText.badMaxTokens('abc')]);
    expect(await set('max_tokens', '64001')).toEqual([settingsText.badMaxTokens('64001')]);
    expect(await set('persona', 'x'.repeat(4001))).toEqual([settingsText.personaTooLong(4001)]);
    expect(await stored(scopeKey.channel(C1))).toEqual({});
  });

  it('resets the channel back to the server’s settings', async () => {
    const { command } = createCommandHarness();
    await command('config', { subcommand: 'set', values: { setting: 'max_tokens', value: '2000', scope: 'guild' } });
    await command('config', { subcommand: 'set', values: { setting: 'max_tokens', value: '300' } });
    expect(await command('config', { subcommand: 'reset' })).toEqual([settingsText.reset('channel')]);
    expect(line(await command('config', { subcommand: 'show' }), 'Max tokens')).toBe('Max tokens (this server): 2000');
    expect(await command('config', { subcommand: 'reset', values: { scope: 'guild' } })).toEqual([
      settingsText.reset('guild'),
    ]);
    expect(line(await command('config', { subcommand: 'show' }), 'Max tokens')).toBe(
      'Max tokens (the bot’s default): 1024',
    );
  });

  it('edits the access lists with /config access add, remove and clear', async () => {
    const { command, stored } = createCommandHarness();
    const access = (subcommand: string, values: Record<string, string>) =>
      command('config', { group: 'access', subcommand, values });
    expect(await access('add', { list: 'allowed_channels', ids: `<#${C1}>` })).toEqual([
      `Allowed channels: <#${C8}>, <#${C1}> (set for this server)`,
    ]);
    expect(await access('remove', { list: 'allowed_channels', ids: C8 })).toEqual([
      `Allowed channels: <#${C1}> (set for this server)`,
    ]);
    expect(await access('add', { list: 'blocked_users', ids: `<@${U2}>` })).toEqual([
      `Blocked users: <@${U2}> (set for this server)`,
    ]);
    expect(await stored(scopeKey.guild(G1))).toEqual({
      access: { allowedChannelIds: [C1], blockedUserIds: [U2] },
    });
    expect(await access('clear', { list: 'allowed_channels' })).toEqual([
      `Allowed channels: <#${C8}> (the bot’s defaults)`,
    ]);
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { blockedUserIds: [U2] } });
  });

  it('refuses ids that don’t parse and stores nothing', async () => {
    const { command, stored } = createCommandHarness();
    const said = await command('config', {
      group: 'access',
      subcommand: 'add',
      values: { list: 'allowed_users', ids: `${U2}, @bob` },
    });
    expect(said).toEqual([settingsText.badIds]);
    expect(await stored(scopeKey.guild(G1))).toEqual({});
  });

  it('answers a subcommand it does not know (an old version of the command)', async () => {
    const { command } = createCommandHarness();
    // The runner refuses it before /config runs, listing the ways to run the command.
    for (const unknown of [{ subcommand: 'export' }, { group: 'access', subcommand: 'show' }]) {
      const [said, ...more] = await command('config', unknown);
      expect(more).toEqual([]);
      expect(said).toContain('`/config access add`');
      expect(said).toContain('`/config show`');
    }
  });
});
