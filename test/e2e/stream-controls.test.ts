import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTINUE_PROMPT } from '../../src/core/prompt/request-messages.js';
import { PLACEHOLDER, controlText, notices } from '../../src/core/user-text.js';
import type { FakeDiscord, FakeInteraction, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Stop, Continue, Regenerate, /stop and deletions, end to end with the real client and SDK.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const moderator =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages;
const bystander = { id: '444444444444444444', username: 'bystander' };
const story = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
const slowStory = { text: story, chunkSize: 5, delayMs: 20 }; // several seconds: long enough to press a button

const button = (control: string, answerId: string) => `streamcord:${control}:${answerId}`;

async function startWithStream(text: string, script: Parameters<Harness['anthropic']['enqueue']>[0]) {
  harness.anthropic.enqueue(script);
  const question = harness.discord.userSays({ content: harness.mention(text) });
  const reply = await harness.discord.waitFor(
    'messageCreate',
    (message) => message.referencedMessageId === question.id,
  );
  // Some text is showing: the answer is streaming.
  await harness.discord.waitFor('messageUpdate', (message) => message.id === reply.id && message.content.length > 20);
  return { question, reply };
}

/** Resolves once `check` holds, testing it now and after every message update. */
async function until(discord: FakeDiscord, check: () => boolean): Promise<void> {
  if (check()) return;
  await discord.waitFor('messageUpdate', () => check());
}

/** The private answer a button press or command got. */
async function privateReply(discord: FakeDiscord, interaction: FakeInteraction): Promise<string> {
  await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  const [message] = discord.interactionMessages(interaction.id);
  expect(message?.ephemeral).toBe(true);
  return message?.content ?? '';
}

const live = (discord: FakeDiscord, message: StoredMessage) => discord.messages.get(message.id);

describe('Stop', () => {
  it('stops the answer at once when the asker presses Stop, keeping the partial text', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const { question, reply } = await startWithStream('tell me a story', slowStory);
    expect(discord.buttonsOf(reply.id)).toEqual([button('stop', question.id)]);

    const closed = anthropic.waitFor('clientClosed');
    discord.pressButton({ messageId: reply.id, customId: button('stop', question.id) });
    const [report] = await harness.answered(1);

    expect(report?.outcome).toBe('stopped');
    expect((await closed).completed).toBe(false);
    const content = live(discord, reply)?.content ?? '';
    expect(content.endsWith(`\n\n${notices.stopped(discord.humanUser.id)}`)).toBe(true);
    expect(story.startsWith(content.split('\n\n')[0] ?? '-')).toBe(true);
    // Stopped, it is still the channel's latest answer: Regenerate applies, Stop no longer does.
    expect(discord.buttonsOf(reply.id)).toEqual([button('regenerate', question.id)]);
  });

  it('refuses a bystander, and lets a moderator stop', async () => {
    harness = await startHarness();
    const { discord } = harness;
    const { question, reply } = await startWithStream('tell me a story', slowStory);

    const refused = discord.pressButton({
      messageId: reply.id,
      customId: button('stop', question.id),
      user: bystander,
    });
    expect(await privateReply(discord, refused)).toBe(controlText.notAllowedToStop);
    expect(harness.reports).toHaveLength(0);

    discord.pressButton({
      messageId: reply.id,
      customId: button('stop', question.id),
      user: bystander,
      permissions: moderator,
    });
    const [report] = await harness.answered(1);
    expect(report?.outcome).toBe('stopped');
    expect(live(discord, reply)?.content.endsWith(notices.stopped(bystander.id))).toBe(true);
  });

  it('/stop stops the answer streaming in the channel', async () => {
    harness = await startHarness();
    const { discord } = harness;
    const nothing = discord.runCommand({ name: 'stop' });
    expect(await privateReply(discord, nothing)).toBe(controlText.nothingStreaming);

    await startWithStream('tell me a story', slowStory);
    const stop = discord.runCommand({ name: 'stop' });
    expect(await privateReply(discord, stop)).toBe(controlText.stopped);
    const [report] = await harness.answered(1);
    expect(report?.outcome).toBe('stopped');
  });
});

describe('Continue', () => {
  it('continues an answer cut at max_tokens in new messages and keeps it as one answer', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue(
      { text: 'The first part of the story', stopReason: 'max_tokens' },
      { text: ' and the rest of it.' },
      { text: 'Next answer.' },
    );
    const question = discord.userSays({ content: harness.mention('a long story please') });
    await harness.answered(1);
    const [reply] = harness.replyMessages(question);
    if (!reply) throw new Error('no reply');
    expect(reply.content).toBe(`The first part of the story\n\n${notices.maxTokens}`);
    expect(discord.buttonsOf(reply.id)).toEqual([button('continue', question.id), button('regenerate', question.id)]);

    const press = discord.pressButton({ messageId: reply.id, customId: button('continue', question.id) });
    await harness.answered(2);
    const [continuation] = discord.interactionMessages(press.id);
    expect(continuation?.content).toBe('and the rest of it.');
    expect(anthropic.requests[1]?.body.messages).toEqual([
      { role: 'user', content: 'a long story please' },
      { role: 'assistant', content: 'The first part of the story' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
    // The buttons moved to the continuation.
    await until(discord, () => discord.buttonsOf(reply.id).length === 0);
    expect(discord.buttonsOf(continuation?.id ?? '')).toEqual([button('regenerate', question.id)]);

    discord.userSays({ content: harness.mention('and then?') });
    await harness.answered(3);
    expect(anthropic.requests[2]?.body.messages.map((message) => message.content)).toEqual([
      'a long story please',
      'The first part of the story and the rest of it.',
      'and then?',
    ]);
  });
});

describe('Regenerate', () => {
  it('replaces the last answer in its message and in the history', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const long = Array.from({ length: 500 }, (_, index) => `w${index}`).join(' '); // two messages
    anthropic.enqueue({ text: long, chunkSize: 50, delayMs: 2 }, { text: 'A better answer.' }, { text: 'Sure.' });
    const question = discord.userSays({ content: harness.mention('explain') });
    await harness.answered(1);
    const [first, second] = harness.replyMessages(question);
    if (!first || !second) throw new Error('expected two messages');

    discord.pressButton({ messageId: second.id, customId: button('regenerate', question.id) });
    await harness.answered(2);

    expect(live(discord, first)?.content).toBe('A better answer.');
    expect(live(discord, first)?.contents).toContain(PLACEHOLDER);
    expect(live(discord, second)?.deleted).toBe(true);
    expect(discord.buttonsOf(first.id)).toEqual([button('regenerate', question.id)]);
    expect(anthropic.requests[1]?.body.messages).toEqual([{ role: 'user', content: 'explain' }]);

    discord.userSays({ content: harness.mention('thanks') });
    await harness.answered(3);
    expect(anthropic.requests[2]?.body.messages.map((message) => message.content)).toEqual([
      'explain',
      'A better answer.',
      'thanks',
    ]);
  });
});

describe('buttons that no longer apply', () => {
  it('are taken off an answer once a newer one arrives in the channel', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'One.' }, { text: 'Two.' });
    const first = discord.userSays({ content: harness.mention('one') });
    await harness.answered(1);
    const [firstReply] = harness.replyMessages(first);
    expect(discord.buttonsOf(firstReply?.id ?? '')).toEqual([button('regenerate', first.id)]);

    const second = discord.userSays({ content: harness.mention('two') });
    await harness.answered(2);
    await until(discord, () => discord.buttonsOf(firstReply?.id ?? '').length === 0);
    const [secondReply] = harness.replyMessages(second);
    expect(discord.buttonsOf(secondReply?.id ?? '')).toEqual([button('regenerate', second.id)]);
  });

  it('explain themselves after a restart instead of failing', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Before the restart.' });
    const question = discord.userSays({ content: harness.mention('hello') });
    await harness.answered(1);
    const [reply] = harness.replyMessages(question);

    await harness.restartBot();
    const press = discord.pressButton({ messageId: reply?.id ?? '', customId: button('regenerate', question.id) });
    expect(await privateReply(discord, press)).toBe(controlText.unknownButton);
    expect(anthropic.requests).toHaveLength(1);
  });
});

describe('deleting mid-stream', () => {
  it('stops the answer when its reply is deleted, and forgets the exchange', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const { reply } = await startWithStream('tell me a story', slowStory);
    const closed = anthropic.waitFor('clientClosed');
    discord.deleteMessage(reply.id);
    const deletedAt = performance.now();
    const [report] = await harness.answered(1);

    expect(report?.outcome).toBe('deleted');
    expect((await closed).completed).toBe(false);
    const editsAfter = discord.requests.filter(
      (request) => request.path.endsWith(reply.id) && request.at > deletedAt && request.status === 200,
    );
    expect(editsAfter).toEqual([]);

    anthropic.enqueue({ text: 'Fresh start.' });
    discord.userSays({ content: harness.mention('new question') });
    await harness.answered(2);
    expect(anthropic.requests[1]?.body.messages).toEqual([{ role: 'user', content: 'new question' }]);
  });

  it('stops the answer when the question is deleted, and says so', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const { question, reply } = await startWithStream('tell me a story', slowStory);
    const closed = anthropic.waitFor('clientClosed');
    discord.deleteMessage(question.id);
    const [report] = await harness.answered(1);
    expect(report?.outcome).toBe('deleted');
    expect((await closed).completed).toBe(false);
    expect(live(discord, reply)?.content.endsWith(notices.deleted)).toBe(true);
    expect(discord.buttonsOf(reply.id)).toEqual([]);
  });
});

describe('deleting an /ask reply before it shows text', () => {
  it('still ends the answer when the first text is already past the length limit', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const long = Array.from({ length: 600 }, (_, index) => `w${index}`).join(' '); // > 2000 chars in one delta
    anthropic.enqueue({ deltas: [long], ttftMs: 300 });
    const interaction = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: 3, value: 'a lot at once' }],
    });
    await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
    const [original] = discord.interactionMessages(interaction.id);
    discord.deleteMessage(original?.id ?? '');
    // Its follow-up must not wait for an edit of the deleted original that can never land.
    const [report] = await harness.answered(1);
    expect(report?.answerId).toBe(interaction.id);
    const followUps = discord.interactionMessages(interaction.id).filter((message) => !message.deleted);
    expect(followUps.length).toBeGreaterThanOrEqual(1);
    expect(long.endsWith(followUps.at(-1)?.content ?? '-')).toBe(true);
  });
});

describe('usage footer', () => {
  it('shows tokens, time to first token and speed under the answer when enabled', async () => {
    harness = await startHarness({ env: { USAGE_FOOTER: 'true' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Counted answer.', outputTokens: 42, inputTokens: 7 });
    const question = discord.userSays({ content: harness.mention('count me') });
    await harness.answered(1);
    const content = harness.replyMessages(question)[0]?.content ?? '';
    expect(content).toMatch(/^Counted answer\.\n-# 7 in · 42 out · first token \d+\.\d s( · \d+ tokens\/s)?$/);
  });
});
