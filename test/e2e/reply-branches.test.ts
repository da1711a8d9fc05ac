import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/core/reply/split-message.js';
import { notices } from '../../src/core/user-text.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Reply branches end to end: the real discord.js client and the real Anthropic SDK against the fakes.
// A question that replies (Discord's reply) to a message of an earlier answer continues from that
// answer: the request carries the conversation up to it, not what came after it.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const requestTexts = (index: number) =>
  harness.anthropic.requests[index]?.body.messages.map((message) => message.content);

describe('a reply to an earlier answer', () => {
  it('branches from that answer, later mentions follow the branch, and it survives a restart', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    // The first answer takes two messages: a reply to the second of them finds it too.
    const long = Array.from({ length: 80 }, (_, index) => `Sentence ${index} of the first answer.`).join(' ');
    expect(splitMessage(long).length).toBe(2);
    anthropic.enqueue({ text: long }, { text: 'A2' }, { text: 'A3' }, { text: 'A4' }, { text: 'A5' }, { text: 'A6' });

    const first = discord.userSays({ content: harness.mention('one') });
    await harness.answered(1);
    discord.userSays({ content: harness.mention('two') });
    await harness.answered(2);
    const firstReply = harness.replyMessages(first);
    expect(firstReply).toHaveLength(2);

    const branch = discord.userSays({ content: harness.mention('back to one'), replyTo: firstReply[1]?.id });
    await harness.answered(3);
    expect(requestTexts(2)).toEqual(['one', long, 'back to one']);
    expect(harness.replyMessages(branch).map((message) => message.content)).toEqual(['A3']);

    // A plain mention follows the newest exchange: the branch, not the answer it left behind.
    discord.userSays({ content: harness.mention('go on') });
    await harness.answered(4);
    expect(requestTexts(3)).toEqual(['one', long, 'back to one', 'A3', 'go on']);

    // Stored with the conversation (SQLite), the branch and the answers' messages outlive a restart.
    await harness.restartBot();
    const twoReply = [...discord.messages.values()].find((message) => message.content === 'A2');
    discord.userSays({ content: harness.mention('back to two'), replyTo: twoReply?.id });
    await harness.answered(5);
    expect(requestTexts(4)).toEqual(['one', long, 'two', 'A2', 'back to two']);
    discord.userSays({ content: harness.mention('and now?') });
    await harness.answered(6);
    expect(requestTexts(5)).toEqual(['one', long, 'two', 'A2', 'back to two', 'A5', 'and now?']);
  });

  it('finds a continued answer by the messages of its first part too', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue(
      { text: 'The first part', stopReason: 'max_tokens' },
      { text: ' and the rest.' },
      { text: 'A2' },
      { text: 'A3' },
    );
    const first = discord.userSays({ content: harness.mention('a long one') });
    await harness.answered(1);
    const [reply] = harness.replyMessages(first);
    expect(reply?.content).toBe(`The first part\n\n${notices.maxTokens}`);
    discord.pressButton({ messageId: reply?.id ?? '', customId: `streamcord:continue:${first.id}` });
    await harness.answered(2);
    discord.userSays({ content: harness.mention('two') });
    await harness.answered(3);

    discord.userSays({ content: harness.mention('back to the story'), replyTo: reply?.id });
    await harness.answered(4);
    expect(requestTexts(3)).toEqual(['a long one', 'The first part and the rest.', 'back to the story']);
  });

  it('branches from an /ask answer replied to at its first message', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'A1' }, { text: 'A2' }, { text: 'A3' });
    const asked = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: 'one' }],
    });
    await harness.answered(1);
    discord.userSays({ content: harness.mention('two') });
    await harness.answered(2);

    const [original] = discord.interactionMessages(asked.id);
    expect(original?.content).toBe('A1');
    discord.userSays({ content: harness.mention('back to one'), replyTo: original?.id });
    await harness.answered(3);
    expect(requestTexts(2)).toEqual(['one', 'A1', 'back to one']);
  });

  it('is no branch when it replies to a message that is not an answer of the bot', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'A1' }, { text: 'A2' }, { text: 'A3' }, { text: 'A4' });

    const first = discord.userSays({ content: harness.mention('one') });
    await harness.answered(1);
    discord.userSays({ content: harness.mention('two') });
    await harness.answered(2);
    const [firstReply] = harness.replyMessages(first);
    discord.userSays({ content: harness.mention('back to one'), replyTo: firstReply?.id });
    await harness.answered(3);
    // A reply to a person's message (the first question) follows the newest exchange, the branch.
    discord.userSays({ content: harness.mention('about that question'), replyTo: first.id });
    await harness.answered(4);

    expect(requestTexts(3)).toEqual(['one', 'A1', 'back to one', 'A3', 'about that question']);
  });
});
