import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { commandText } from '../../src/core/user-text.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// A channel the bot cannot post in costs nothing: the bot reads its permissions from the gateway's
// cache before asking Claude. Real discord.js and the real Anthropic SDK against the fakes.

const { SendMessages, SendMessagesInThreads, ViewChannel } = PermissionFlagsBits;

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly channelId?: string;
  readonly reason?: string;
  readonly missing?: string[];
}

// A refused question's line is a warning the first time in an hour for its channel (debug after).
function permissionWarnings(lines: readonly string[]): LogLine[] {
  return lines
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === 'question refused' && line.reason === 'missing-permissions' && line.level === 40);
}

/** What the bot wrote through `channelId`'s own routes (interaction responses are not channel posts). */
function writesIn(discord: FakeDiscord, channelId: string) {
  return discord.requests.filter(
    (request) =>
      request.channelId === channelId && request.method !== 'GET' && request.route?.includes(' /channels/') === true,
  );
}

function ask(discord: FakeDiscord, channelId: string, prompt: string, isPrivate = false) {
  return discord.runCommand({
    name: 'ask',
    channelId,
    options: [
      { name: 'prompt', type: ApplicationCommandOptionType.String, value: prompt },
      { name: 'private', type: ApplicationCommandOptionType.Boolean, value: isPrivate },
    ],
  });
}

describe('a channel that denies the bot', () => {
  it('gets no model call and no post for two mentions, and one log line', async () => {
    const logLines: string[] = [];
    harness = await startHarness({ logLines });
    const { discord, anthropic } = harness;
    const [closed, open] = [discord.channelId(0), discord.channelId(1)];
    discord.denyBot(closed, SendMessages);
    anthropic.enqueue({ text: 'Answered where I may post.' });

    discord.userSays({ channelId: closed, content: harness.mention('first question') });
    discord.userSays({ channelId: closed, content: harness.mention('second question') });
    // The gateway delivers in order: once a later question elsewhere is answered, both were handled.
    const later = discord.userSays({ channelId: open, content: harness.mention('third question') });
    await harness.answered(1);

    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'third question' }]);
    expect(writesIn(discord, closed)).toEqual([]);
    expect(harness.replyMessages(later)[0]?.content).toBe('Answered where I may post.');
    const warnings = permissionWarnings(logLines);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, channelId: closed, missing: ['SendMessages'] });
  });

  it('logs again once permissions came back and were lost again', async () => {
    const logLines: string[] = [];
    harness = await startHarness({ logLines });
    const { discord, anthropic } = harness;
    const [closed, open] = [discord.channelId(0), discord.channelId(1)];
    anthropic.enqueue({ text: 'one' }, { text: 'two' }, { text: 'three' });

    discord.denyBot(closed, ViewChannel);
    discord.userSays({ channelId: closed, content: harness.mention('unseen') });
    discord.userSays({ channelId: open, content: harness.mention('elsewhere') });
    await harness.answered(1);
    discord.restoreBot(closed);
    discord.userSays({ channelId: closed, content: harness.mention('allowed again') });
    await harness.answered(2);
    discord.denyBot(closed, SendMessages);
    discord.userSays({ channelId: closed, content: harness.mention('closed again') });
    discord.userSays({ channelId: open, content: harness.mention('elsewhere again') });
    await harness.answered(3);

    const asked = anthropic.requests.map((request) => request.body.messages.at(-1)?.content);
    expect(asked).toEqual(['elsewhere', 'allowed again', 'elsewhere again']);
    expect(permissionWarnings(logLines).map((line) => line.missing)).toEqual([['ViewChannel'], ['SendMessages']]);
  });

  it('answers /ask there with a private explanation and no model call; a private /ask still works', async () => {
    const logLines: string[] = [];
    harness = await startHarness({ logLines });
    const { discord, anthropic } = harness;
    const closed = discord.channelId(0);
    discord.denyBot(closed, SendMessages);
    anthropic.enqueue({ text: 'Only you see this.' });

    const refused = ask(discord, closed, 'public question');
    const callback = await discord.waitFor('interactionCallback', (event) => event.interactionId === refused.id);
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(discord.interactionMessages(refused.id).map((message) => message.content)).toEqual([
      commandText.cannotPostHere,
    ]);
    expect(anthropic.requests).toHaveLength(0);

    const privately = ask(discord, closed, 'private question', true);
    await harness.answered(1);
    expect(discord.interactionMessages(privately.id)[0]).toMatchObject({
      content: 'Only you see this.',
      ephemeral: true,
    });
    expect(anthropic.requests).toHaveLength(1);
    expect(writesIn(discord, closed)).toEqual([]);
    expect(permissionWarnings(logLines)).toHaveLength(1);
  });
});

describe('permissions lost while an answer streams', () => {
  it('stop the edits at the first refusal and the model call with them', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const channel = discord.channelId(0);
    anthropic.enqueue({ text: 'word '.repeat(400), chunkSize: 5, delayMs: 10 }); // ~4 s if left to run
    const firstEdit = discord.waitFor('request', (request) => request.method === 'PATCH' && request.status === 200);
    const closed = anthropic.waitFor('clientClosed');
    discord.userSays({ channelId: channel, content: harness.mention('a long one') });
    await firstEdit;
    discord.denyBot(channel, ViewChannel);
    const [report] = await harness.answered(1);

    expect((await closed).completed).toBe(false);
    expect(report?.outcome).toBe('deleted');
    const refused = discord.requests.filter((request) => request.method === 'PATCH' && request.status === 403);
    expect(refused).toHaveLength(1);
  });
});

describe('a thread', () => {
  it('without Send Messages in Threads gets no model call; Send Messages alone does not matter there', async () => {
    const logLines: string[] = [];
    harness = await startHarness({ logLines });
    const { discord, anthropic } = harness;
    const parent = discord.channelId(0);
    const thread = discord.createThread(parent);
    anthropic.enqueue({ text: 'In the thread.' }, { text: 'In the channel.' });

    discord.denyBot(parent, SendMessages);
    const inThread = discord.userSays({ channelId: thread, content: harness.mention('thread question') });
    await harness.answered(1);
    expect(harness.replyMessages(inThread)[0]?.content).toBe('In the thread.');

    discord.denyBot(parent, SendMessagesInThreads);
    discord.userSays({ channelId: thread, content: harness.mention('refused in the thread') });
    const inParent = discord.userSays({ channelId: parent, content: harness.mention('channel question') });
    await harness.answered(2);

    expect(harness.replyMessages(inParent)[0]?.content).toBe('In the channel.');
    const asked = anthropic.requests.map((request) => request.body.messages.at(-1)?.content);
    expect(asked).toEqual(['thread question', 'channel question']);
    const warnings = permissionWarnings(logLines);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ channelId: thread, missing: ['SendMessagesInThreads'] });
  });
});
