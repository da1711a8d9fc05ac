import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { usageKeys } from '../../src/core/budget/usage-keys.js';
import { EVERYONE_PERMISSIONS } from '../fakes/discord/permissions.js';
import type { FakeUser } from '../fakes/fake-discord.js';
import {
  PAST_MIDNIGHT_MS,
  alice,
  bob,
  carol,
  costing,
  firstReply,
  lastTenAm,
  movableClock,
  overBudgetAtTen,
  privateReply,
  repliesTo,
} from './budget-helpers.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Budgets end to end, the real discord.js client and the real Anthropic SDK against the fakes: a
// question over a limit gets one short reply (privately for /ask and buttons) and costs no model
// call; an answer that started within a limit ends in full; admins are exempt; the day rolls over at
// midnight UTC.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const MANAGE_SERVER = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageGuild;

function ask(text: string, user: FakeUser, permissions?: bigint, channelId?: string) {
  return harness.discord.runCommand({
    name: 'ask',
    user,
    ...(permissions === undefined ? {} : { permissions }),
    ...(channelId ? { channelId } : {}),
    options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: text }],
  });
}

function says(author: FakeUser, text: string, channelId?: string) {
  return harness.discord.userSays({ author, content: harness.mention(text), ...(channelId ? { channelId } : {}) });
}

describe('USER_DAILY_TOKENS', () => {
  it('lets an answer that starts within the limit end in full; the next question gets one short reply and no model call', async () => {
    const ten = lastTenAm();
    harness = await startHarness({ env: { USER_DAILY_TOKENS: '100' }, clock: movableClock(ten.at) });
    const { discord, anthropic } = harness;
    const crossing = costing(40, 90, 'A long answer that crosses the budget while it streams, and still ends in full.');
    anthropic.enqueue(costing(30, 30), crossing, costing(20, 20, 'For Bob.'));

    // A channel each: the answers are not paced by one channel's rate limit.
    const [one, two, three] = discord.channelIds;
    says(alice, 'first', one);
    await harness.answered(1);
    // 60 of 100 used: the second starts within the budget and ends at 190.
    const second = says(alice, 'second', two);
    const [, crossed] = await harness.answered(2);
    expect(crossed?.outcome).toBe('complete');
    expect(harness.replyMessages(second).map((message) => message.content)).toEqual([crossing.text]);

    const third = says(alice, 'third', three);
    expect(await firstReply(discord, third)).toBe(overBudgetAtTen('You have', '190', '100'));
    expect(anthropic.requests).toHaveLength(2);
    // What she is told is what the counters hold.
    expect(await harness.bot.storage.usage.get(usageKeys.user(alice.id, ten.date))).toEqual({
      input: 70,
      output: 120,
      cacheRead: 0,
      cacheCreation: 0,
    });

    const fromBob = says(bob, 'my turn', three);
    await harness.answered(3);
    expect(harness.replyMessages(fromBob)[0]?.content).toBe('For Bob.');
    expect(anthropic.requests.map((request) => request.body.messages.at(-1)?.content)).toEqual([
      'first',
      'second',
      'my turn',
    ]);
    // One short reply to the refused question, never a placeholder or an answer.
    expect(repliesTo(discord, third)).toEqual([overBudgetAtTen('You have', '190', '100')]);
  });
});

describe('CHANNEL_DAILY_TOKENS and GUILD_DAILY_TOKENS', () => {
  it('a channel over its budget refuses everyone there, and only there', async () => {
    harness = await startHarness({ env: { CHANNEL_DAILY_TOKENS: '50' }, clock: movableClock(lastTenAm().at) });
    const { discord, anthropic } = harness;
    const [busy, quiet] = [discord.channelId(0), discord.channelId(1)];
    anthropic.enqueue(costing(30, 30), costing(10, 10, 'In the quiet channel.'));

    says(alice, 'spend it', busy);
    await harness.answered(1);
    const refused = says(bob, 'me too', busy);
    expect(await firstReply(discord, refused)).toBe(overBudgetAtTen('This channel has', '60', '50'));
    const elsewhere = says(bob, 'over here then', quiet);
    await harness.answered(2);

    expect(harness.replyMessages(elsewhere)[0]?.content).toBe('In the quiet channel.');
    expect(anthropic.requests).toHaveLength(2);
  });

  it('a guild over its budget refuses its every channel; another guild and DMs are still answered', async () => {
    harness = await startHarness({
      discord: { guilds: 2 },
      env: { GUILD_DAILY_TOKENS: '50' },
      clock: movableClock(lastTenAm().at),
    });
    const { discord, anthropic } = harness;
    const [home, other] = discord.guildIds.map((guildId) => discord.channelIdsOf(guildId));
    anthropic.enqueue(costing(30, 30), costing(10, 10, 'In the other guild.'), costing(10, 10, 'In a DM.'));

    says(alice, 'spend it', home?.[0]);
    await harness.answered(1);
    const refused = says(bob, 'in another channel of the same guild', home?.[1]);
    expect(await firstReply(discord, refused)).toBe(overBudgetAtTen('This server has', '60', '50'));
    const otherGuild = says(bob, 'in the other guild', other?.[0]);
    await harness.answered(2);
    const dm = discord.dmSays({ author: alice, content: 'in a DM' });
    await harness.answered(3);

    expect(harness.replyMessages(otherGuild)[0]?.content).toBe('In the other guild.');
    expect(harness.replyMessages(dm)[0]?.content).toBe('In a DM.');
    expect(anthropic.requests).toHaveLength(3);
  });
});

describe('USER_REQUESTS_PER_MINUTE', () => {
  it('refuses the third question in a minute and admits the person again in the next', async () => {
    const clock = movableClock(lastTenAm().at);
    harness = await startHarness({ discord: { channels: 4 }, env: { USER_REQUESTS_PER_MINUTE: '2' }, clock });
    const { discord, anthropic } = harness;

    const [first, second, third, fourth] = discord.channelIds;
    says(alice, 'one', first);
    await harness.answered(1);
    says(alice, 'two', second);
    await harness.answered(2);
    const refused = says(alice, 'three', third);
    const refusal = await firstReply(discord, refused);
    // The window is the minute that started at ten: it ends within a minute.
    expect(refusal).toMatch(
      /^⏳ You’ve asked 2 questions this minute, the most allowed \(2 a minute\)\. Ask again in (1 min|[1-5]?\d s)\.$/,
    );
    expect(anthropic.requests).toHaveLength(2);
    // Per person: someone else still may.
    says(bob, 'mine', third);
    await harness.answered(3);

    clock.advance(60_000);
    const later = says(alice, 'four, a minute later', fourth);
    await harness.answered(4);
    expect(repliesTo(discord, later)).toHaveLength(1);
    expect(anthropic.requests.map((request) => request.body.messages.at(-1)?.content)).toEqual([
      'one',
      'two',
      'mine',
      'four, a minute later',
    ]);
  });
});

describe('admins', () => {
  it('ADMIN_USER_IDS and Manage Server (/ask) pass every budget; others are held to it', async () => {
    harness = await startHarness({
      discord: { channels: 7 },
      env: { USER_DAILY_TOKENS: '50', USER_REQUESTS_PER_MINUTE: '1', ADMIN_USER_IDS: bob.id },
      clock: movableClock(lastTenAm().at),
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue(...Array.from({ length: 6 }, () => costing(30, 30)));

    // Each in a channel of its own: the answers are not paced by one channel's rate limit.
    const channel = (index: number) => discord.channelId(index);
    for (const [index, text] of ['one', 'two', 'three'].entries()) {
      says(bob, text, channel(index));
      await harness.answered(index + 1);
    }
    says(alice, 'mine', channel(3));
    await harness.answered(4);
    const refused = says(alice, 'mine again', channel(4));
    expect(await firstReply(discord, refused)).toBe(overBudgetAtTen('You have', '60', '50'));
    expect(anthropic.requests).toHaveLength(4);

    const managed = ask('as a server manager', carol, MANAGE_SERVER, channel(5));
    await harness.answered(5);
    expect(discord.interactionMessages(managed.id).map((message) => message.content)).toEqual([costing(30, 30).text]);
    ask('again, over budget and rate', carol, MANAGE_SERVER, channel(6));
    await harness.answered(6);
    // The same person without Manage Server is held to the budget.
    const plain = await privateReply(discord, ask('and without Manage Server', carol));
    expect(plain.content).toBe(overBudgetAtTen('You have', '120', '50'));
    expect(anthropic.requests).toHaveLength(6);
    expect(harness.reports.map((report) => report.outcome)).toEqual(Array(6).fill('complete'));
  });
});

describe('/ask and Regenerate over budget', () => {
  it('are refused privately with no model call; a Manage Server press still regenerates', async () => {
    harness = await startHarness({ env: { USER_DAILY_TOKENS: '50' }, clock: movableClock(lastTenAm().at) });
    const { discord, anthropic } = harness;
    anthropic.enqueue(costing(30, 30, 'The first answer.'), costing(5, 5, 'Regenerated by a manager.'));
    const question = says(alice, 'spend it');
    await harness.answered(1);
    const [reply] = harness.replyMessages(question);
    if (!reply) throw new Error('no reply');
    const regenerate = `streamcord:regenerate:${question.id}`;

    const asked = await privateReply(discord, ask('more', alice));
    expect(asked.content).toBe(overBudgetAtTen('You have', '60', '50'));
    const pressed = await privateReply(
      discord,
      discord.pressButton({ messageId: reply.id, customId: regenerate, user: alice }),
    );
    expect(pressed.content).toBe(overBudgetAtTen('You have', '60', '50'));
    expect(anthropic.requests).toHaveLength(1);
    expect(discord.messages.get(reply.id)?.content).toBe('The first answer.');

    discord.pressButton({ messageId: reply.id, customId: regenerate, user: alice, permissions: MANAGE_SERVER });
    await harness.answered(2);
    expect(discord.messages.get(reply.id)?.content).toBe('Regenerated by a manager.');
    expect(anthropic.requests).toHaveLength(2);
  });
});

describe('the day', () => {
  it('rolls over at midnight UTC: the refused person is answered again, and /usage starts from 0', async () => {
    const clock = movableClock(lastTenAm().at);
    harness = await startHarness({ env: { USER_DAILY_TOKENS: '50' }, clock });
    const { discord, anthropic } = harness;
    anthropic.enqueue(costing(30, 30), costing(10, 10, 'A new day.'));

    const [one, two, three] = discord.channelIds;
    says(alice, 'today', one);
    await harness.answered(1);
    const refused = says(alice, 'more today', two);
    expect(await firstReply(discord, refused)).toBe(overBudgetAtTen('You have', '60', '50'));

    clock.advance(PAST_MIDNIGHT_MS);
    const usage = await privateReply(discord, discord.runCommand({ name: 'usage', user: alice }));
    expect(usage.content).toBe(
      [
        '**Your use today** (UTC, resets in 23 h 59 min)',
        'You: 0 of 50 tokens',
        '-# 0 input · 0 output · 0 cache read (counted at 0.1×) · 0 cache write (1.25×)',
      ].join('\n'),
    );
    const tomorrow = says(alice, 'tomorrow', three);
    await harness.answered(2);
    expect(harness.replyMessages(tomorrow)[0]?.content).toBe('A new day.');
    expect(anthropic.requests).toHaveLength(2);
  });
});
