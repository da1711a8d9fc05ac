import { describe, expect, it } from 'vitest';
import type { ScopeSettings } from '../../../../src/core/ports/storage.js';
import { loadPlaceSettings } from '../../../../src/core/settings/place-settings.js';
import { createSettingsAdmin } from '../../../../src/core/settings/settings-admin.js';
import type { GuildPlace, SettingsAdminDeps } from '../../../../src/core/settings/settings-admin.js';
import { scopeKey } from '../../../../src/core/settings/settings-scopes.js';
import { settingsText } from '../../../../src/core/settings/settings-text.js';
import { discordNames, parseDiscordIds } from '../../../../src/platforms/discord/discord-names.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

// Discord-shaped ids, as the real parser wants them.
const G1 = '100000000000000001';
const C1 = '200000000000000001';
const C2 = '200000000000000002';
const C8 = '200000000000000008';
const C9 = '200000000000000009';
const T1 = '300000000000000001';
const U1 = '400000000000000001';
const U2 = '400000000000000002';
const U66 = '400000000000000066';

const inChannel: GuildPlace = { guildId: G1, channelIds: [C1] };
const inOtherChannel: GuildPlace = { guildId: G1, channelIds: [C2] };
const inThread: GuildPlace = { guildId: G1, channelIds: [T1, C1] };

function setup() {
  const { settings: store } = createMemoryStorage({ keep: 10 });
  const deps: SettingsAdminDeps = {
    store,
    allowedModels: new Set(['claude-default', 'claude-big']),
    defaults: { system: 'You are helpful.', model: 'claude-default', maxTokens: 1024 },
    operatorAccess: {
      allowedGuildIds: new Set(),
      allowedChannelIds: new Set([C8, C9]),
      allowedRoleIds: new Set(),
      allowedUserIds: new Set(),
      blockedUserIds: new Set([U66]),
      allowDms: true,
    },
    parseIds: parseDiscordIds,
    names: discordNames,
  };
  const stored = async (scope: string): Promise<ScopeSettings> => (await store.getMany([scope]))[0] ?? {};
  return { admin: createSettingsAdmin(deps), store, deps, stored };
}

const line = (text: string, start: string) => text.split('\n').find((row) => row.startsWith(start));

describe('settings admin: set and show', () => {
  it('shows the bot’s defaults where nothing is set', async () => {
    const { admin } = setup();
    const text = await admin.show(inChannel);
    expect(line(text, 'Persona')).toBe('Persona (the bot’s default): “You are helpful.”');
    expect(line(text, 'Model')).toBe(
      'Model (the bot’s default): `claude-default` · allowed: `claude-default`, `claude-big`',
    );
    expect(line(text, 'Max tokens')).toBe('Max tokens (the bot’s default): 1024');
  });

  it('shows where each setting comes from: this channel, this server, or the default', async () => {
    const { admin } = setup();
    expect(await admin.set(inChannel, 'channel', 'persona', 'You are a pirate.')).toBe(
      settingsText.set('persona', 'channel'),
    );
    expect(await admin.set(inChannel, 'guild', 'model', 'claude-big')).toBe(settingsText.set('model', 'guild'));
    const text = await admin.show(inChannel);
    expect(line(text, 'Persona')).toBe('Persona (this channel): “You are a pirate.”');
    expect(line(text, 'Model')).toMatch(/^Model \(this server\): `claude-big`/);
    expect(line(text, 'Max tokens')).toBe('Max tokens (the bot’s default): 1024');
    // Another channel of the server: the server's model, the default persona.
    const elsewhere = await admin.show(inOtherChannel);
    expect(line(elsewhere, 'Persona')).toBe('Persona (the bot’s default): “You are helpful.”');
    expect(line(elsewhere, 'Model')).toMatch(/^Model \(this server\): `claude-big`/);
  });

  it('lets a channel’s setting override the server’s, in show and for the next question', async () => {
    const { admin, store, deps } = setup();
    await admin.set(inChannel, 'guild', 'max_tokens', '2000');
    await admin.set(inChannel, 'channel', 'max_tokens', '300');
    expect(line(await admin.show(inChannel), 'Max tokens')).toBe('Max tokens (this channel): 300');
    expect(line(await admin.show(inOtherChannel), 'Max tokens')).toBe('Max tokens (this server): 2000');
    expect((await loadPlaceSettings(store, inChannel, deps.allowedModels)).answer.maxTokens).toBe(300);
    expect((await loadPlaceSettings(store, inOtherChannel, deps.allowedModels)).answer.maxTokens).toBe(2000);
  });

  it('gives a thread its parent channel’s settings', async () => {
    const { admin, store, deps } = setup();
    await admin.set(inChannel, 'channel', 'persona', 'Parent persona');
    expect(line(await admin.show(inThread), 'Persona')).toBe('Persona (the parent channel): “Parent persona”');
    expect((await loadPlaceSettings(store, inThread, deps.allowedModels)).answer.system).toBe('Parent persona');
    await admin.set(inThread, 'channel', 'persona', 'Thread persona');
    expect(line(await admin.show(inThread), 'Persona')).toBe('Persona (this channel): “Thread persona”');
    expect(line(await admin.show(inChannel), 'Persona')).toBe('Persona (this channel): “Parent persona”');
  });

  it('shows a long persona on one line, cut at 300 characters', async () => {
    const { admin } = setup();
    await admin.set(inChannel, 'channel', 'persona', `Line one\n\nline two ${'x'.repeat(400)}`);
    const persona = line(await admin.show(inChannel), 'Persona');
    expect(persona).toBe(`Persona (this channel): “Line one line two ${'x'.repeat(300 - 18)}…”`);
  });

  it('does not show a stored model the operator has since taken off the allowlist', async () => {
    const { admin, store, deps } = setup();
    await store.update(scopeKey.guild(G1), () => ({ model: 'claude-big' }));
    await store.update(scopeKey.channel(C1), () => ({ model: 'claude-retired' }));
    // What show says is what the next question gets.
    expect((await loadPlaceSettings(store, inChannel, deps.allowedModels)).answer.model).toBe('claude-big');
    expect(line(await admin.show(inChannel), 'Model')).toMatch(/^Model \(this server\): `claude-big`/);
  });
});

describe('settings admin: validation', () => {
  it('refuses a model outside the allowlist, naming the allowed ones, and stores nothing', async () => {
    const { admin, stored } = setup();
    expect(await admin.set(inChannel, 'channel', 'model', 'claude-opus-unlisted')).toBe(
      '⚠️ `claude-opus-unlisted` is not one of the models this bot may use: `claude-default`, `claude-big`.',
    );
    expect(await stored(scopeKey.channel(C1))).toEqual({});
  });

  it('refuses a persona over 4000 characters and stores nothing; 4000 is fine', async () => {
    const { admin, stored } = setup();
    expect(await admin.set(inChannel, 'guild', 'persona', 'p'.repeat(4001))).toBe(settingsText.personaTooLong(4001));
    expect(await stored(scopeKey.guild(G1))).toEqual({});
    expect(await admin.set(inChannel, 'guild', 'persona', 'p'.repeat(4000))).toBe(settingsText.set('persona', 'guild'));
    expect(await stored(scopeKey.guild(G1))).toEqual({ persona: 'p'.repeat(4000) });
  });

  it.each(['0', 'abc', '64001', '1.5', '-5', ''])('refuses max_tokens %j and stores nothing', async (value) => {
    const { admin, stored } = setup();
    expect(await admin.set(inChannel, 'channel', 'max_tokens', value)).toBe(settingsText.badMaxTokens(value));
    expect(await stored(scopeKey.channel(C1))).toEqual({});
  });

  it('accepts max_tokens from 1 to 64000 as a number', async () => {
    const { admin, stored } = setup();
    await admin.set(inChannel, 'channel', 'max_tokens', '1');
    expect(await stored(scopeKey.channel(C1))).toEqual({ maxTokens: 1 });
    await admin.set(inChannel, 'channel', 'max_tokens', '64000');
    expect(await stored(scopeKey.channel(C1))).toEqual({ maxTokens: 64_000 });
  });
});

describe('settings admin: reset', () => {
  it('resets a channel and leaves the server’s settings', async () => {
    const { admin } = setup();
    await admin.set(inChannel, 'guild', 'persona', 'Server persona');
    await admin.set(inChannel, 'channel', 'persona', 'Channel persona');
    await admin.set(inChannel, 'channel', 'model', 'claude-big');
    expect(await admin.reset(inChannel, 'channel')).toBe(settingsText.reset('channel'));
    const text = await admin.show(inChannel);
    expect(line(text, 'Persona')).toBe('Persona (this server): “Server persona”');
    expect(line(text, 'Model')).toMatch(/^Model \(the bot’s default\): `claude-default`/);
  });

  it('resets the server’s answer settings but keeps its access lists', async () => {
    const { admin, stored } = setup();
    await admin.set(inChannel, 'guild', 'persona', 'Server persona');
    await admin.editAccess(inChannel, 'add', 'blocked_users', U1);
    await admin.reset(inChannel, 'guild');
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { blockedUserIds: [U1] } });
    expect(line(await admin.show(inChannel), 'Persona')).toBe('Persona (the bot’s default): “You are helpful.”');
  });
});

describe('settings admin: access lists', () => {
  it('starts a server’s first list from the operator’s, so adding one channel keeps the others', async () => {
    const { admin, stored } = setup();
    expect(await admin.editAccess(inChannel, 'add', 'allowed_channels', `<#${C1}>`)).toBe(
      `Allowed channels: <#${C8}>, <#${C9}>, <#${C1}> (set for this server)`,
    );
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { allowedChannelIds: [C8, C9, C1] } });
  });

  it('adds to the server’s own list once it has one, without duplicates', async () => {
    const { admin, stored } = setup();
    await admin.editAccess(inChannel, 'add', 'allowed_users', U1);
    await admin.editAccess(inChannel, 'add', 'allowed_users', `<@!${U1}>, <@${U2}>`);
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { allowedUserIds: [U1, U2] } });
  });

  it('removes ids, starting from the operator’s list the first time', async () => {
    const { admin, stored } = setup();
    expect(await admin.editAccess(inChannel, 'remove', 'allowed_channels', C8)).toBe(
      `Allowed channels: <#${C9}> (set for this server)`,
    );
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { allowedChannelIds: [C9] } });
  });

  it('says an emptied allow list restricts nobody', async () => {
    const { admin } = setup();
    expect(await admin.editAccess(inChannel, 'remove', 'allowed_channels', `${C8} ${C9}`)).toBe(
      'Allowed channels: no restriction (set for this server)',
    );
  });

  it('starts a server’s blocked list empty: it adds to the operator’s, never copies it', async () => {
    const { admin, stored } = setup();
    expect(await admin.editAccess(inChannel, 'add', 'blocked_users', U1)).toBe(
      `Blocked users: <@${U1}> (set for this server)`,
    );
    expect(await stored(scopeKey.guild(G1))).toEqual({ access: { blockedUserIds: [U1] } });
  });

  it('clears a list back to the operator’s, keeping the server’s other lists and settings', async () => {
    const { admin, stored } = setup();
    await admin.set(inChannel, 'guild', 'persona', 'Server persona');
    await admin.editAccess(inChannel, 'add', 'allowed_channels', C1);
    await admin.editAccess(inChannel, 'add', 'allowed_roles', '<@&500000000000000001>');
    expect(await admin.editAccess(inChannel, 'clear', 'allowed_channels', null)).toBe(
      `Allowed channels: <#${C8}>, <#${C9}> (the bot’s defaults)`,
    );
    expect(await stored(scopeKey.guild(G1))).toEqual({
      persona: 'Server persona',
      access: { allowedRoleIds: ['500000000000000001'] },
    });
    await admin.editAccess(inChannel, 'clear', 'allowed_roles', null);
    expect(await stored(scopeKey.guild(G1))).toEqual({ persona: 'Server persona' });
  });

  it('forgets a server whose last list is cleared and that set nothing else', async () => {
    const { admin, stored } = setup();
    await admin.editAccess(inChannel, 'add', 'blocked_users', U1);
    expect(await admin.editAccess(inChannel, 'clear', 'blocked_users', null)).toBe(
      'Blocked users: nobody (the bot’s defaults)',
    );
    expect(await stored(scopeKey.guild(G1))).toEqual({});
  });

  it.each([['not-an-id'], [`${C1} nope`], ['123'], ['   '], ['']])(
    'refuses ids %j that don’t parse and stores nothing',
    async (ids) => {
      const { admin, stored } = setup();
      expect(await admin.editAccess(inChannel, 'add', 'allowed_users', ids)).toBe(settingsText.badIds);
      expect(await admin.editAccess(inChannel, 'remove', 'allowed_channels', ids)).toBe(settingsText.badIds);
      expect(await stored(scopeKey.guild(G1))).toEqual({});
    },
  );

  it('lists the server’s lists in show, each with where it comes from', async () => {
    const { admin } = setup();
    await admin.editAccess(inChannel, 'add', 'blocked_users', U2);
    const text = await admin.show(inChannel);
    expect(text.split('\n').slice(-6)).toEqual([
      '**Who may ask in this server**',
      `Allowed channels: <#${C8}>, <#${C9}> (the bot’s defaults)`,
      'Allowed roles: no restriction (the bot’s defaults)',
      'Allowed users: no restriction (the bot’s defaults)',
      `Blocked users: <@${U2}> (set for this server)`,
      `Blocked everywhere by the bot’s operator: <@${U66}>`,
    ]);
  });
});
