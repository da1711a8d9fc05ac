import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { commandText } from '../../src/core/user-text.js';
import type { FakeDiscord, FakeInteraction, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// What /reset and deleted messages do to a channel's conversation, end to end with the real client
// and SDK: the conversation keeps what the user saw, and a reset means the next question starts fresh.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const moderator =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages;
const story = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
const regenerate = (answerId: string) => `streamcord:regenerate:${answerId}`;

/** What the model was sent with the `index`-th question, as plain strings. */
function sent(harness: Harness, index: number): string[] {
  return (harness.anthropic.requests[index]?.body.messages ?? []).map((message) =>
    typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  );
}

async function ask(text: string): Promise<StoredMessage> {
  const question = harness.discord.userSays({ content: harness.mention(text) });
  await harness.answered(harness.reports.length + 1);
  return question;
}

/** The interaction's private messages once there are `count` of them. */
async function privateMessages(discord: FakeDiscord, interaction: FakeInteraction, count: number) {
  const ready = () => discord.interactionMessages(interaction.id).filter((message) => message.content !== '');
  if (ready().length < count) await discord.waitFor('request', () => ready().length >= count);
  return ready().map((message) => message.content);
}

describe('/reset while an answer streams', () => {
  it('takes effect after that answer: its exchange goes too, and the next question starts fresh', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: story, chunkSize: 5, delayMs: 4 }, { text: 'Fresh.' });
    const question = discord.userSays({ content: harness.mention('tell me a story') });
    const reply = await discord.waitFor('messageCreate', (message) => message.referencedMessageId === question.id);
    await discord.waitFor('messageUpdate', (message) => message.id === reply.id && message.content.length > 20);

    const reset = discord.runCommand({ name: 'reset', permissions: moderator });
    // Told at once (Discord wants an answer within 3 s), while the story still streams.
    expect(await privateMessages(discord, reset, 1)).toEqual([commandText.clearsAfterAnswer]);
    expect(harness.reports).toHaveLength(0);

    const [report] = await harness.answered(1);
    expect(report?.outcome).toBe('complete');
    expect(await privateMessages(discord, reset, 2)).toEqual([commandText.clearsAfterAnswer, commandText.cleared(1)]);
    // The story's Regenerate would bring the cleared conversation back: it is taken away.
    const lastOfStory = harness.replyMessages(question).at(-1);
    if (discord.buttonsOf(lastOfStory?.id ?? '').length > 0) {
      await discord.waitFor('messageUpdate', (message) => message.id === lastOfStory?.id);
    }
    expect(discord.buttonsOf(lastOfStory?.id ?? '')).toEqual([]);

    await ask('what was the story about?');
    expect(sent(harness, 1)).toEqual(['what was the story about?']);
  });

  it('answers at once when nothing streams', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' }, { text: 'Fresh.' });
    await ask('capital of France?');
    const reset = discord.runCommand({ name: 'reset', permissions: moderator });
    expect(await privateMessages(discord, reset, 1)).toEqual([commandText.cleared(1)]);
    await ask('and of Spain?');
    expect(sent(harness, 1)).toEqual(['and of Spain?']);
  });
});

describe('a question deleted after its answer finished', () => {
  it('is removed from the conversation, and its answer loses its buttons', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' }, { text: 'Which city?' });
    const question = await ask('capital of France?');
    const [reply] = harness.replyMessages(question);
    expect(discord.buttonsOf(reply?.id ?? '')).toEqual([regenerate(question.id)]);

    const buttonsGone = discord.waitFor('messageUpdate', (message) => message.id === reply?.id);
    discord.deleteMessage(question.id);
    await buttonsGone;
    expect(discord.buttonsOf(reply?.id ?? '')).toEqual([]);

    await ask('how many people live there?');
    expect(sent(harness, 1)).toEqual(['how many people live there?']);
  });

  it('is removed from the conversation when it is an older question', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'One.' }, { text: 'Two.' }, { text: 'Three.' });
    const first = await ask('first?');
    await ask('second?');
    const removed = discord.waitFor('messageDelete', (message) => message.id === first.id);
    discord.deleteMessage(first.id);
    await removed;
    // The deletion reaches the bot over the gateway; the next question goes the same way after it.
    await ask('third?');
    expect(sent(harness, 2)).toEqual(['second?', 'Two.', 'third?']);
  });
});
