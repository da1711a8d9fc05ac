import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, DEFAULT_SYSTEM_PROMPT } from '../../src/config.js';
import { scopeKey } from '../../src/core/settings/settings-scopes.js';
import { settingsText } from '../../src/core/settings/settings-text.js';
import { commandText } from '../../src/core/user-text.js';
import type { FakeUser } from '../fakes/fake-discord.js';
import { asManager, ask, configOptions, harnessOptions, runConfig } from './config-driver.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// /config end to end (real discord.js, real Anthropic SDK, the loopback fakes): who may run it, and
// the persona, model and max tokens it sets reaching the next request to Claude, per channel, thread
// and server, validated, and kept across a restart. Every reply is private (config-driver checks).

const bob: FakeUser = { id: '200000000000000002', username: 'bob' };
const HAIKU = 'claude-haiku-4-5';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

describe('who may run /config', () => {
  it('refuses a plain member privately; a Manage Server member and ADMIN_USER_IDS may; a DM is told it is for servers', async () => {
    harness = await startHarness({ ...harnessOptions, env: { ADMIN_USER_IDS: bob.id } });
    const { discord } = harness;

    // The plain member's set is refused and changes nothing.
    const refused = await runConfig(discord, configOptions.set('persona', 'You are a pirate.'), {});
    expect(refused).toBe(commandText.notAllowed('config', 'admins'));
    expect(await harness.bot.storage.settings.getMany([scopeKey.channel(discord.channelId(0))])).toEqual([{}]);

    const byManager = await runConfig(discord, configOptions.show());
    expect(byManager).toContain(`Persona (the bot’s default): “${DEFAULT_SYSTEM_PROMPT}”`);
    // bob holds no permission in the server: ADMIN_USER_IDS alone lets him in.
    const byAdmin = await runConfig(discord, configOptions.set('max_tokens', '500'), { user: bob });
    expect(byAdmin).toBe(settingsText.set('max_tokens', 'channel'));

    const inDm = await runConfig(discord, configOptions.show(), { user: bob, dm: true });
    expect(inDm).toBe(settingsText.onlyInServers);
    expect(harness.anthropic.requests).toEqual([]);
  });
});

describe('/config set setting:persona', () => {
  it('applies per channel, then server; a channel overrides the server, a thread follows its channel; reset undoes each', async () => {
    harness = await startHarness(harnessOptions);
    const { discord } = harness;
    const [general, other] = [discord.channelId(0), discord.channelId(1)];
    const thread = discord.createThread(general);
    const pirate = 'You are a pirate.';
    const librarian = 'You are a librarian.';

    expect(await runConfig(discord, configOptions.set('persona', pirate))).toBe(settingsText.set('persona', 'channel'));
    expect((await ask(harness, 'general 1', general)).system).toBe(pirate);
    expect((await ask(harness, 'other 1', other)).system).toBe(DEFAULT_SYSTEM_PROMPT);

    const guildSet = await runConfig(discord, configOptions.set('persona', librarian, 'guild'), asManager(other));
    expect(guildSet).toBe(settingsText.set('persona', 'guild'));
    expect((await ask(harness, 'other 2', other)).system).toBe(librarian);
    expect((await ask(harness, 'general 2', general)).system).toBe(pirate);
    expect((await ask(harness, 'in the thread', thread)).system).toBe(pirate);

    expect(await runConfig(discord, configOptions.reset())).toBe(settingsText.reset('channel'));
    expect((await ask(harness, 'general 3', general)).system).toBe(librarian);
    expect((await ask(harness, 'in the thread again', thread)).system).toBe(librarian);

    expect(await runConfig(discord, configOptions.reset('guild'))).toBe(settingsText.reset('guild'));
    expect((await ask(harness, 'general 4', general)).system).toBe(DEFAULT_SYSTEM_PROMPT);
    expect((await ask(harness, 'other 3', other)).system).toBe(DEFAULT_SYSTEM_PROMPT);
  });

  it('refuses a persona over 4000 characters privately and changes nothing; 4000 is accepted', async () => {
    harness = await startHarness(harnessOptions);
    const { discord } = harness;

    const tooLong = await runConfig(discord, configOptions.set('persona', 'x'.repeat(4001)));
    expect(tooLong).toBe(settingsText.personaTooLong(4001));
    expect(await harness.bot.storage.settings.getMany([scopeKey.channel(discord.channelId(0))])).toEqual([{}]);
    expect((await ask(harness, 'after the long one')).system).toBe(DEFAULT_SYSTEM_PROMPT);

    const longest = 'y'.repeat(4000);
    expect(await runConfig(discord, configOptions.set('persona', longest))).toBe(
      settingsText.set('persona', 'channel'),
    );
    expect((await ask(harness, 'after the longest')).system).toBe(longest);
  });
});

describe('/config set setting:model and max_tokens', () => {
  it('sends an allowed model and refuses an unknown one privately, naming the allowed ones', async () => {
    harness = await startHarness({ ...harnessOptions, env: { ALLOWED_MODELS: HAIKU } });
    const { discord } = harness;

    const unknown = await runConfig(discord, configOptions.set('model', 'gpt-4'));
    expect(unknown).toBe(settingsText.unknownModel('gpt-4', [DEFAULT_MODEL, HAIKU]));
    expect(unknown).toContain(HAIKU);
    expect((await ask(harness, 'still the default')).model).toBe(DEFAULT_MODEL);

    expect(await runConfig(discord, configOptions.set('model', HAIKU))).toBe(settingsText.set('model', 'channel'));
    expect((await ask(harness, 'now haiku')).model).toBe(HAIKU);
  });

  it('sends the max tokens set, and refuses 0 and abc privately without changing it', async () => {
    harness = await startHarness({ ...harnessOptions, env: { MAX_TOKENS: '1024' } });
    const { discord } = harness;
    expect((await ask(harness, 'before')).max_tokens).toBe(1024);

    expect(await runConfig(discord, configOptions.set('max_tokens', '300'))).toBe(
      settingsText.set('max_tokens', 'channel'),
    );
    expect((await ask(harness, 'after 300')).max_tokens).toBe(300);

    expect(await runConfig(discord, configOptions.set('max_tokens', '0'))).toBe(settingsText.badMaxTokens('0'));
    expect(await runConfig(discord, configOptions.set('max_tokens', 'abc'))).toBe(settingsText.badMaxTokens('abc'));
    expect((await ask(harness, 'after the bad ones')).max_tokens).toBe(300);
  });
});

describe('/config settings in storage', () => {
  it('survive a restart', async () => {
    harness = await startHarness({ ...harnessOptions, env: { ALLOWED_MODELS: HAIKU } });
    const { discord } = harness;
    await runConfig(discord, configOptions.set('persona', 'You are terse.', 'guild'));
    await runConfig(discord, configOptions.set('model', HAIKU));
    await runConfig(discord, configOptions.set('max_tokens', '256'));

    await harness.restartBot();
    const body = await ask(harness, 'after the restart');
    expect({ system: body.system, model: body.model, max_tokens: body.max_tokens }).toEqual({
      system: 'You are terse.',
      model: HAIKU,
      max_tokens: 256,
    });
  });
});

describe('/config show', () => {
  it('lists what applies here and where each comes from, and the server’s access lists', async () => {
    let roleId = '';
    harness = await startHarness({
      ...harnessOptions,
      env: (discord) => {
        roleId = discord.createRole([bob]);
        return { ALLOWED_MODELS: HAIKU, ALLOWED_ROLE_IDS: roleId };
      },
    });
    const { discord } = harness;
    const [general, other] = [discord.channelId(0), discord.channelId(1)];
    const thread = discord.createThread(general);
    await runConfig(discord, configOptions.set('persona', 'You are a pirate.'));
    await runConfig(discord, configOptions.set('model', HAIKU, 'guild'));
    await runConfig(discord, configOptions.access('add', 'allowed_channels', `<#${other}>`));

    const lines = (await runConfig(discord, configOptions.show(), asManager(thread))).split('\n');
    expect(lines).toEqual([
      '**Settings here**',
      'Persona (the parent channel): “You are a pirate.”',
      `Model (this server): \`${HAIKU}\` · allowed: \`${DEFAULT_MODEL}\`, \`${HAIKU}\``,
      'Max tokens (the bot’s default): 1024',
      '',
      '**Who may ask in this server**',
      `Allowed channels: <#${other}> (set for this server)`,
      `Allowed roles: <@&${roleId}> (the bot’s defaults)`,
      'Allowed users: no restriction (the bot’s defaults)',
      'Blocked users: nobody (the bot’s defaults)',
    ]);
    const inOther = await runConfig(discord, configOptions.show(), asManager(other));
    expect(inOther).toContain('Persona (the bot’s default)');
    expect(harness.anthropic.requests).toEqual([]);
  });

  it('shows the model that applies, not one stored before the operator took it off ALLOWED_MODELS', async () => {
    harness = await startHarness({ ...harnessOptions, env: { ALLOWED_MODELS: HAIKU } });
    const { discord } = harness;
    // Set while the operator still allowed it (a restart with a shorter ALLOWED_MODELS).
    await harness.bot.storage.settings.update(scopeKey.channel(discord.channelId(0)), () => ({
      model: 'claude-retired',
    }));
    await harness.bot.storage.settings.update(scopeKey.guild(discord.guildId), () => ({ model: HAIKU }));

    expect((await ask(harness, 'which model?')).model).toBe(HAIKU);
    expect(await runConfig(discord, configOptions.show())).toContain(`Model (this server): \`${HAIKU}\``);
  });
});
