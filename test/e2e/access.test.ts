import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { accessText } from '../../src/core/user-text.js';
import type { FakeDiscord, FakeUser, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Who may ask, from the environment: refused questions cost no model call and get one short reply
// (a private one for /ask). Real discord.js and the real Anthropic SDK against the fakes.

const mallory: FakeUser = { id: '200000000000000001', username: 'mallory' };
const bob: FakeUser = { id: '200000000000000002', username: 'bob' };

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

/** The bot's replies to `question` (its refusal, or its answer). */
function repliesTo(discord: FakeDiscord, question: StoredMessage): string[] {
  return [...discord.messages.values()]
    .filter((message) => message.authorId === discord.botUser.id && message.referencedMessageId === question.id)
    .map((message) => message.content);
}

/** Resolves once the bot has replied to `question` (at once if it already has). */
async function replied(discord: FakeDiscord, question: StoredMessage): Promise<void> {
  if (repliesTo(discord, question).length > 0) return;
  await discord.waitFor('messageCreate', (message) => message.referencedMessageId === question.id);
}

function asked(harness: Harness): unknown[] {
  return harness.anthropic.requests.map((request) => request.body.messages.at(-1)?.content);
}

describe('allowed users and blocked users', () => {
  it('answers the allowed, refuses others once per channel, and asks Claude only for the allowed', async () => {
    harness = await startHarness({ env: (discord) => ({ ALLOWED_USER_IDS: `${discord.humanUser.id},${bob.id}` }) });
    const { discord, anthropic } = harness;
    const [general, other] = [discord.channelId(0), discord.channelId(1)];
    anthropic.enqueue({ text: 'Hello Alice.' }, { text: 'Hello Bob.' });

    const first = discord.userSays({ channelId: general, author: mallory, content: harness.mention('one') });
    const second = discord.userSays({ channelId: general, author: mallory, content: harness.mention('two') });
    const elsewhere = discord.userSays({ channelId: other, author: mallory, content: harness.mention('three') });
    const alice = discord.userSays({ channelId: general, content: harness.mention('from alice') });
    const fromBob = discord.userSays({ channelId: general, author: bob, content: harness.mention('from bob') });
    await Promise.all([harness.answered(2), replied(discord, elsewhere)]);

    // One refusal for the two in the same channel, one in the other channel.
    expect([...repliesTo(discord, first), ...repliesTo(discord, second)]).toEqual([accessText.user]);
    expect(repliesTo(discord, elsewhere)).toEqual([accessText.user]);
    expect(harness.replyMessages(alice)[0]?.content).toBe('Hello Alice.');
    expect(harness.replyMessages(fromBob)[0]?.content).toBe('Hello Bob.');
    expect(asked(harness)).toEqual(['from alice', 'from bob']);
  });

  it('refuses a blocked user even on the allow list; an admin passes every list', async () => {
    harness = await startHarness({
      env: (discord) => ({
        ALLOWED_USER_IDS: `${discord.humanUser.id},${mallory.id}`,
        BLOCKED_USER_IDS: `${mallory.id},${bob.id}`,
        ADMIN_USER_IDS: bob.id,
      }),
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'For the admin.' });

    const blocked = discord.userSays({ author: mallory, content: harness.mention('let me in') });
    const admin = discord.userSays({ author: bob, content: harness.mention('admin question') });
    await Promise.all([harness.answered(1), replied(discord, blocked)]);

    expect(repliesTo(discord, blocked)).toEqual([accessText.blocked]);
    expect(harness.replyMessages(admin)[0]?.content).toBe('For the admin.');
    expect(asked(harness)).toEqual(['admin question']);
  });
});

describe('allowed roles', () => {
  it('answers members with an allowed role and refuses the rest', async () => {
    harness = await startHarness({
      env: (discord) => ({ ALLOWED_ROLE_IDS: discord.createRole([bob]) }),
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'For the role.' });

    const without = discord.userSays({ content: harness.mention('no role') });
    const withRole = discord.userSays({ author: bob, content: harness.mention('with role') });
    await Promise.all([harness.answered(1), replied(discord, without)]);

    expect(repliesTo(discord, without)).toEqual([accessText.role]);
    expect(harness.replyMessages(withRole)[0]?.content).toBe('For the role.');
    expect(asked(harness)).toEqual(['with role']);
  });
});

describe('allowed channels', () => {
  it('covers a thread under an allowed channel, and a channel and its thread under an allowed category', async () => {
    harness = await startHarness({
      discord: { channels: 4 },
      env: (discord) => ({
        ALLOWED_CHANNEL_IDS: `${discord.channelId(0)},${discord.createCategory([discord.channelId(1)])}`,
      }),
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'In the thread.' }, { text: 'In the category.' }, { text: 'In its thread.' });
    const thread = discord.createThread(discord.channelId(0));
    const closedThread = discord.createThread(discord.channelId(2));
    const categoryThread = discord.createThread(discord.channelId(1));

    const refused = discord.userSays({ channelId: discord.channelId(2), content: harness.mention('closed') });
    const refusedThread = discord.userSays({ channelId: closedThread, content: harness.mention('closed thread') });
    const inThread = discord.userSays({ channelId: thread, content: harness.mention('thread question') });
    const inCategory = discord.userSays({ channelId: discord.channelId(1), content: harness.mention('category') });
    const deepest = discord.userSays({ channelId: categoryThread, content: harness.mention('category thread') });
    await Promise.all([harness.answered(3), replied(discord, refused), replied(discord, refusedThread)]);

    expect(repliesTo(discord, refused)).toEqual([accessText.channel]);
    expect(repliesTo(discord, refusedThread)).toEqual([accessText.channel]);
    expect(harness.replyMessages(inThread)[0]?.content).toBe('In the thread.');
    expect(harness.replyMessages(inCategory)[0]?.content).toBe('In the category.');
    expect(harness.replyMessages(deepest)[0]?.content).toBe('In its thread.');
    expect(asked(harness)).toEqual(['thread question', 'category', 'category thread']);
  });
});

describe('allowed guilds', () => {
  it('refuses a guild that is not on the list', async () => {
    harness = await startHarness({
      discord: { guilds: 2 },
      env: (discord) => ({ ALLOWED_GUILD_IDS: discord.guildId }),
    });
    const { discord, anthropic } = harness;
    const [allowed, refusedGuild] = discord.guildIds;
    anthropic.enqueue({ text: 'In the allowed guild.' });
    const refusedChannel = discord.channelIdsOf(refusedGuild ?? '')[0];
    const allowedChannel = discord.channelIdsOf(allowed ?? '')[0];

    const refused = discord.userSays({ channelId: refusedChannel, content: harness.mention('other guild') });
    await replied(discord, refused);
    const answered = discord.userSays({ channelId: allowedChannel, content: harness.mention('home guild') });
    await harness.answered(1);

    expect(repliesTo(discord, refused)).toEqual([accessText.guild]);
    expect(harness.replyMessages(answered)[0]?.content).toBe('In the allowed guild.');
    expect(asked(harness)).toEqual(['home guild']);
  });
});

describe('direct messages', () => {
  it('with ALLOW_DMS=false get one refusal and no model call; guild channels still work', async () => {
    harness = await startHarness({ env: { ALLOW_DMS: 'false' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'In the guild.' });

    const dm = discord.dmSays({ content: 'a private question' });
    const again = discord.dmSays({ content: 'another one' });
    const inGuild = discord.userSays({ content: harness.mention('guild question') });
    await harness.answered(1);
    await Promise.race([replied(discord, dm), replied(discord, again)]);

    expect([...repliesTo(discord, dm), ...repliesTo(discord, again)]).toEqual([accessText.dms_off]);
    expect(harness.replyMessages(inGuild)[0]?.content).toBe('In the guild.');
    expect(asked(harness)).toEqual(['guild question']);
  });
});

describe('/ask', () => {
  it('refused gets a private reply and no model call', async () => {
    harness = await startHarness({ env: { ALLOWED_USER_IDS: bob.id } });
    const { discord, anthropic } = harness;

    const refused = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: 'may I?' }],
    });
    const callback = await discord.waitFor('interactionCallback', (event) => event.interactionId === refused.id);

    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(discord.interactionMessages(refused.id).map((message) => message.content)).toEqual([accessText.user]);
    expect(anthropic.requests).toHaveLength(0);
  });
});

describe('other bots', () => {
  it('never trigger an answer, even mentioning us in a reply to our own answer', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const otherBot: FakeUser = { id: '200000000000000003', username: 'chatty-bot', bot: true };
    anthropic.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });

    const question = discord.userSays({ content: harness.mention('hello') });
    await harness.answered(1);
    const [answer] = harness.replyMessages(question);
    const fromBot = discord.userSays({
      author: otherBot,
      replyTo: answer?.id,
      content: harness.mention('what do you think, bot?'),
    });
    const later = discord.userSays({ content: harness.mention('and now?') });
    await harness.answered(2);

    expect(repliesTo(discord, fromBot)).toEqual([]);
    expect(harness.replyMessages(later)[0]?.content).toBe('Second answer.');
    expect(asked(harness)).toEqual(['hello', 'and now?']);
  });
});
