import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { scopeKey } from '../../src/core/settings/settings-scopes.js';
import { settingsText } from '../../src/core/settings/settings-text.js';
import { accessText } from '../../src/core/user-text.js';
import type { FakeUser } from '../fakes/fake-discord.js';
import { ANSWER, configOptions, harnessOptions, lastQuestion, outcome, repliesTo, runConfig } from './config-driver.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// /config access end to end: a server's admins replace the operator's allow lists for their server
// and block more people there; refused mentions get the access text once and never reach Claude.

const mallory: FakeUser = { id: '200000000000000001', username: 'mallory' };
const manager: FakeUser = { id: '200000000000000002', username: 'manager' };
const blocked: FakeUser = { id: '200000000000000003', username: 'blocked' };

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

/** What Claude was asked, in order. */
const asked = (harness: Harness) => harness.anthropic.requests.map((request) => lastQuestion(request.body));

/** The server's stored access lists. */
async function storedAccess(harness: Harness) {
  const [guild] = await harness.bot.storage.settings.getMany([scopeKey.guild(harness.discord.guildId)]);
  return guild?.access;
}

describe('/config access on allowed channels', () => {
  it('admits the channels added (and their threads) over the operator’s list, refuses the rest once, and clear brings the operator’s back', async () => {
    // The operator allows the third channel; `manager` holds Manage Server through a role.
    harness = await startHarness({
      ...harnessOptions,
      env: (discord) => {
        discord.createRole([manager], discord.guildId, PermissionFlagsBits.ManageGuild);
        return { ALLOWED_CHANNEL_IDS: discord.channelId(2) };
      },
    });
    const { discord } = harness;
    const [general, other, operators] = [discord.channelId(0), discord.channelId(1), discord.channelId(2)];
    const thread = discord.createThread(general);

    // The first change starts from the operator's list.
    const added = await runConfig(discord, configOptions.access('add', 'allowed_channels', `<#${general}>`));
    expect(added).toBe(`Allowed channels: <#${operators}>, <#${general}> (set for this server)`);

    const refused = discord.userSays({ channelId: other, content: harness.mention('refused 1') });
    const again = discord.userSays({ channelId: other, content: harness.mention('refused 2') });
    const inThread = discord.userSays({ channelId: thread, content: harness.mention('in the thread') });
    const inOperators = discord.userSays({ channelId: operators, content: harness.mention('operator’s channel') });
    // A Manage Server member passes the server's lists. Asked last: by the time it is answered,
    // both refusals have long been decided.
    const byManager = discord.userSays({ channelId: other, author: manager, content: harness.mention('manager') });
    const outcomes = await Promise.all([refused, inThread, inOperators, byManager].map((q) => outcome(discord, q)));

    expect(outcomes).toEqual([accessText.channel, ANSWER, ANSWER, ANSWER]);
    // Once per person and channel: the second refused mention got no reply.
    expect(repliesTo(discord, again)).toEqual([]);
    // Three channels answer side by side, in any order; the refused never reached Claude.
    expect(asked(harness).toSorted()).toEqual(['in the thread', 'manager', 'operator’s channel']);

    const cleared = await runConfig(discord, configOptions.access('clear', 'allowed_channels'));
    expect(cleared).toBe(`Allowed channels: <#${operators}> (the bot’s defaults)`);
    expect(await storedAccess(harness)).toBeUndefined();
    const closed = discord.userSays({ channelId: general, content: harness.mention('general after clear') });
    const open = discord.userSays({ channelId: operators, content: harness.mention('operator’s after clear') });
    expect(await Promise.all([closed, open].map((q) => outcome(discord, q)))).toEqual([accessText.channel, ANSWER]);
    expect(asked(harness).slice(3)).toEqual(['operator’s after clear']);
  });
});

describe('/config access on blocked users', () => {
  it('refuses someone blocked and answers them again once removed; the operator’s block list still applies', async () => {
    // The operator blocks `blocked`; the server's list adds to that, it never replaces it.
    harness = await startHarness({ ...harnessOptions, env: { BLOCKED_USER_IDS: blocked.id } });
    const { discord } = harness;
    const [general, other] = [discord.channelId(0), discord.channelId(1)];

    const added = await runConfig(discord, configOptions.access('add', 'blocked_users', `<@${mallory.id}>`));
    expect(added).toBe(`Blocked users: <@${mallory.id}> (set for this server)`);
    const refused = discord.userSays({ author: mallory, content: harness.mention('mallory blocked') });
    const byOperator = discord.userSays({ channelId: other, author: blocked, content: harness.mention('blocked') });
    const someone = discord.userSays({ channelId: other, content: harness.mention('someone else') });
    expect(await Promise.all([refused, byOperator, someone].map((q) => outcome(discord, q)))).toEqual([
      accessText.blocked,
      accessText.blocked,
      ANSWER,
    ]);

    const removed = await runConfig(discord, configOptions.access('remove', 'blocked_users', mallory.id));
    expect(removed).toBe('Blocked users: nobody (set for this server)');
    const unblocked = discord.userSays({ author: mallory, content: harness.mention('mallory unblocked') });
    const stillBlocked = discord.userSays({ channelId: general, author: blocked, content: harness.mention('again') });
    expect(await Promise.all([unblocked, stillBlocked].map((q) => outcome(discord, q)))).toEqual([
      ANSWER,
      accessText.blocked,
    ]);
    expect(asked(harness)).toEqual(['someone else', 'mallory unblocked']);
  });
});

describe('/config access with ids that don’t parse', () => {
  it('answers privately and stores nothing, even when some of the ids are good', async () => {
    harness = await startHarness(harnessOptions);
    const { discord } = harness;

    expect(await runConfig(discord, configOptions.access('add', 'allowed_users', 'hello'))).toBe(settingsText.badIds);
    const mixed = configOptions.access('add', 'allowed_channels', `${discord.channelId(1)}, hello`);
    expect(await runConfig(discord, mixed)).toBe(settingsText.badIds);
    expect(await storedAccess(harness)).toBeUndefined();

    const stillOpen = discord.userSays({ content: harness.mention('still open') });
    expect(await outcome(discord, stillOpen)).toBe(ANSWER);
  });
});
