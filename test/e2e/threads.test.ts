import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER } from '../../src/core/user-text.js';
import { DiscordHttpError } from '../fakes/fake-discord.js';
import type { FakeDiscord, StoredMessage } from '../fakes/fake-discord.js';
import { alice, bob, costing, firstReply } from './budget-helpers.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// THREADS=auto end to end: the real discord.js client and the real Anthropic SDK against the fakes. A
// mention in a text channel opens a thread on the question; the thread is a conversation of its own.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const THREADS_ON = { THREADS: 'auto' };

const botMessagesIn = (discord: FakeDiscord, channelId: string): StoredMessage[] =>
  [...discord.messages.values()].filter(
    (message) => message.channelId === channelId && message.authorId === discord.botUser.id && !message.deleted,
  );

const requestTexts = (harness: Harness, index: number) =>
  harness.anthropic.requests[index]?.body.messages.map((message) => message.content);

describe('THREADS=auto', () => {
  it('opens one thread on the question, named from it, and streams the answer there', async () => {
    harness = await startHarness({ env: THREADS_ON });
    const { discord, anthropic } = harness;
    const answer = 'Tides come from the pull of the moon and the sun on the oceans. '.repeat(6).trim();
    anthropic.enqueue({ text: answer, chunkSize: 5, delayMs: 5 });

    const opened = discord.waitFor('threadCreate');
    const question = discord.userSays({ content: harness.mention('**How** do   `tides` work?') });
    const thread = await opened;
    await harness.answered(1);

    expect(discord.threadsCreated).toHaveLength(1);
    expect(thread).toMatchObject({
      threadId: question.id,
      parentId: discord.channelId(0),
      messageId: question.id,
      name: 'How do tides work?',
    });
    // The answer is the thread's first message: a placeholder edited into the answer, no reply reference.
    const inThread = botMessagesIn(discord, thread.threadId);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]?.contents[0]).toBe(PLACEHOLDER);
    expect(inThread[0]?.content).toBe(answer);
    expect(inThread[0]?.referencedMessageId).toBeUndefined();
    expect(inThread[0]?.editCount).toBeGreaterThanOrEqual(2); // it streamed
    expect(botMessagesIn(discord, discord.channelId(0))).toEqual([]);
    expect(requestTexts(harness, 0)).toEqual(['**How** do   `tides` work?']);
  });

  it('keeps the thread a conversation of its own, apart from its parent channel', async () => {
    harness = await startHarness({ env: THREADS_ON });
    const { discord, anthropic } = harness;
    const parent = discord.channelId(0);
    anthropic.enqueue({ text: 'P1' }, { text: 'T1' }, { text: 'T2' }, { text: 'P2' }, { text: 'T3' });

    // Where the bot may not open threads it answers in the channel: the parent's own conversation.
    discord.denyBot(parent, PermissionFlagsBits.CreatePublicThreads);
    discord.userSays({ content: harness.mention('parent one') });
    await harness.answered(1);
    expect(discord.threadsCreated).toEqual([]);
    discord.restoreBot(parent);

    const opened = discord.waitFor('threadCreate');
    discord.userSays({ content: harness.mention('thread one') });
    const { threadId } = await opened;
    await harness.answered(2);
    discord.userSays({ channelId: threadId, content: harness.mention('thread two') });
    await harness.answered(3);
    discord.denyBot(parent, PermissionFlagsBits.CreatePublicThreads);
    discord.userSays({ content: harness.mention('parent two') });
    await harness.answered(4);

    expect(requestTexts(harness, 1)).toEqual(['thread one']);
    expect(requestTexts(harness, 2)).toEqual(['thread one', 'T1', 'thread two']);
    expect(requestTexts(harness, 3)).toEqual(['parent one', 'P1', 'parent two']);
    expect(botMessagesIn(discord, threadId).map((message) => message.content)).toEqual(['T1', 'T2']);

    // /ask in the thread answers in the thread's conversation.
    const prompt = [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: 'thread three' }];
    discord.runCommand({ name: 'ask', channelId: threadId, options: prompt });
    await harness.answered(5);
    expect(requestTexts(harness, 4)).toEqual(['thread one', 'T1', 'thread two', 'T2', 'thread three']);
  });

  it('checks the permissions of where the answer goes: the thread, or the channel when threads are closed', async () => {
    const logLines: string[] = [];
    harness = await startHarness({ env: THREADS_ON, logLines });
    const { discord, anthropic } = harness;
    const parent = discord.channelId(0);
    anthropic.enqueue({ text: 'In a thread.' }, { text: 'In the channel.' });

    // No Send Messages in the channel: a thread still takes the answer (Send Messages in Threads).
    discord.denyBot(parent, PermissionFlagsBits.SendMessages);
    const opened = discord.waitFor('threadCreate');
    discord.userSays({ content: harness.mention('thread please') });
    const { threadId } = await opened;
    await harness.answered(1);
    expect(botMessagesIn(discord, threadId).map((message) => message.content)).toEqual(['In a thread.']);

    // No Send Messages in Threads: no thread is tried, the answer is a reply in the channel.
    discord.denyBot(parent, PermissionFlagsBits.SendMessagesInThreads);
    const question = discord.userSays({ content: harness.mention('channel then') });
    await harness.answered(2);
    expect(harness.replyMessages(question).map((message) => message.content)).toEqual(['In the channel.']);
    expect(discord.threadsCreated).toHaveLength(1);
    const warning = await harness.logged((line) => line.includes('may not open threads here'));
    expect(JSON.parse(warning)).toMatchObject({ level: 40, missing: ['SendMessagesInThreads'] });
  });

  it('answers in the channel, logging why, when Discord refuses the thread', async () => {
    const logLines: string[] = [];
    const refuse = () => {
      throw new DiscordHttpError(403, { code: 50013, message: 'Missing Permissions' });
    };
    harness = await startHarness({
      env: THREADS_ON,
      logLines,
      discord: { routes: [{ method: 'POST', pattern: '/channels/:c/messages/:m/threads', handle: refuse }] },
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Answered here.' });

    const question = discord.userSays({ content: harness.mention('no thread for me') });
    const [report] = await harness.answered(1);

    expect(report?.outcome).toBe('complete');
    expect(harness.replyMessages(question).map((message) => message.content)).toEqual(['Answered here.']);
    const refusals = discord.requests.filter((request) => request.route?.endsWith('/threads'));
    expect(refusals.map((request) => request.status)).toEqual([403]);
    const warning = logLines.filter((line) => line.includes('could not open a thread'));
    expect(warning).toHaveLength(1);
    expect(JSON.parse(warning[0] ?? '{}')).toMatchObject({ level: 40, channelId: discord.channelId(0) });
  });

  it("forgets the thread's first exchange when its question, the thread's starter message, is deleted", async () => {
    harness = await startHarness({ env: THREADS_ON });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'T1' }, { text: 'T2' }, { text: 'T3' });
    const opened = discord.waitFor('threadCreate');
    const starter = discord.userSays({ content: harness.mention('thread one') });
    const { threadId } = await opened;
    await harness.answered(1);
    // A newer answer in the thread: the first is no longer the one the bot keeps in memory.
    discord.userSays({ channelId: threadId, content: harness.mention('thread two') });
    await harness.answered(2);

    const removed = discord.waitFor('messageDelete', (message) => message.id === starter.id);
    discord.deleteMessage(starter.id);
    await removed;
    discord.userSays({ channelId: threadId, content: harness.mention('thread three') });
    await harness.answered(3);
    expect(requestTexts(harness, 2)).toEqual(['thread two', 'T2', 'thread three']);
  });

  it("counts every thread's tokens toward its parent channel's CHANNEL_DAILY_TOKENS", async () => {
    harness = await startHarness({ env: { ...THREADS_ON, CHANNEL_DAILY_TOKENS: '50' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue(costing(30, 30));

    discord.userSays({ author: alice, content: harness.mention('spend it') });
    await harness.answered(1);
    // A new question opens a new thread, yet the parent channel's budget is spent.
    const refused = discord.userSays({ author: bob, content: harness.mention('me too') });
    expect(await firstReply(discord, refused)).toMatch(/^⏳ This channel has used today’s budget: 60 of 50 tokens./);
    expect(anthropic.requests).toHaveLength(1);
    expect(discord.threadsCreated).toHaveLength(1);
  });

  it('with THREADS=off answers in the channel and opens no thread', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Right here.' });

    const question = discord.userSays({ content: harness.mention('where?') });
    await harness.answered(1);

    expect(harness.replyMessages(question).map((message) => message.content)).toEqual(['Right here.']);
    expect(discord.threadsCreated).toEqual([]);
    expect(discord.requests.filter((request) => request.route?.endsWith('/threads'))).toEqual([]);
  });
});

describe('follow-ups in the thread', () => {
  async function openThread(env: Record<string, string>): Promise<string> {
    harness = await startHarness({ env: { ...THREADS_ON, ...env } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });
    const opened = discord.waitFor('threadCreate');
    discord.userSays({ content: harness.mention('first question') });
    const { threadId } = await opened;
    await harness.answered(1);
    return threadId;
  }

  it('with the Message Content intent, answers a follow-up that does not mention the bot', async () => {
    const threadId = await openThread({ MESSAGE_CONTENT_INTENT: 'true' });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'In their thread.' }, { text: 'Third answer.' });

    // The fake, like Discord, sends it with its content only to a client with the intent.
    const followUp = discord.userSays({ channelId: threadId, content: 'and a second one?', mentionBot: false });
    await harness.answered(2);
    expect(requestTexts(harness, 1)).toEqual(['first question', 'First answer.', 'and a second one?']);
    expect(harness.replyMessages(followUp).map((message) => message.content)).toEqual(['Second answer.']);

    // Left alone: a message for someone else in the bot's thread, and talk in a thread a person opened.
    const aside = discord.userSays({
      channelId: threadId,
      content: `<@${discord.ownerUser.id}> what do you think?`,
      mentionBot: false,
    });
    const theirs = discord.createThread();
    const chatter = discord.userSays({ channelId: theirs, content: 'people talking', mentionBot: false });
    discord.userSays({ channelId: theirs, content: harness.mention('now you') });
    await harness.answered(3);
    discord.userSays({ channelId: threadId, content: 'a third?', mentionBot: false });
    await harness.answered(4);

    expect(anthropic.requests).toHaveLength(4);
    expect(requestTexts(harness, 2)).toEqual(['now you']);
    expect(requestTexts(harness, 3)).toEqual([
      'first question',
      'First answer.',
      'and a second one?',
      'Second answer.',
      'a third?',
    ]);
    expect(harness.replyMessages(aside)).toEqual([]);
    expect(harness.replyMessages(chatter)).toEqual([]);
  });

  it('without the intent, needs a mention in the thread', async () => {
    const threadId = await openThread({});
    const { discord } = harness;

    // Discord sends it without content: the bot cannot read it, so it is left alone.
    const unmentioned = discord.userSays({ channelId: threadId, content: 'unheard?', mentionBot: false });
    const mentioned = discord.userSays({ channelId: threadId, content: harness.mention('heard?') });
    await harness.answered(2);

    expect(harness.anthropic.requests).toHaveLength(2);
    expect(requestTexts(harness, 1)).toEqual(['first question', 'First answer.', 'heard?']);
    expect(harness.replyMessages(unmentioned)).toEqual([]);
    expect(harness.replyMessages(mentioned).map((message) => message.content)).toEqual(['Second answer.']);
  });
});
