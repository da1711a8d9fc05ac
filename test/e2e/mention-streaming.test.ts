import { afterEach, describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/core/reply/split-message.js';
import { PLACEHOLDER, failureText, notices } from '../../src/core/user-text.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// End to end: the real discord.js client and the real Anthropic SDK against loopback fakes.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

describe('a mention streams the answer into one reply', () => {
  it('posts one reply at once and ends with exactly the answer', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const answer = 'The quick brown fox jumps over the lazy dog. '.repeat(10).trim();
    anthropic.enqueue({ text: answer, chunkSize: 5, delayMs: 5, ttftMs: 50 });

    const placeholderPosted = discord.waitFor('messageCreate', (message) => message.content === PLACEHOLDER);
    const question = discord.userSays({ content: harness.mention('tell me about foxes') });
    const placeholder = await placeholderPosted;
    expect(placeholder.referencedMessageId).toBe(question.id);
    const [report] = await harness.answered(1);

    const replies = harness.replyMessages(question);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.content).toBe(answer);
    // The mention is stripped from the prompt.
    expect(anthropic.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'tell me about foxes' }]);
    expect(report).toMatchObject({ outcome: 'complete', stopReason: 'end_turn' });
    expect(report?.ttftMs).toBeGreaterThanOrEqual(50);
    expect(report?.inputTokens).toBeGreaterThan(0);
    expect(report?.outputTokens).toBeGreaterThan(0);
  });

  it('coalesces many deltas into few edits and receives no 429', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const answer = Array.from({ length: 300 }, (_, index) => `w${index}`).join(' ');
    anthropic.enqueue({ text: answer, chunkSize: 4, delayMs: 4 }); // ~370 deltas over ~1.5 s

    const question = discord.userSays({ content: harness.mention('count') });
    await harness.answered(1);
    const reply = harness.replyMessages(question)[0];
    expect(reply?.content).toBe(answer);
    const edits = discord.requests.filter((request) => request.method === 'PATCH');
    expect(edits.length).toBeGreaterThanOrEqual(2); // it did stream, not only a final edit
    expect(edits.length).toBeLessThan(15);
    expect(
      reply?.contents.every((content, index, all) => index === 0 || content.length >= (all[index - 1]?.length ?? 0)),
    ).toBe(true);
    expect(discord.rateLimitCount).toBe(0);
  });

  it('continues an answer over 6000 characters in follow-ups, code block closed and reopened', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const prose = (n: number) =>
      Array.from({ length: n }, (_, index) => `Sentence number ${index} goes here.`).join(' ');
    const code = Array.from({ length: 80 }, (_, index) => `    total += compute(${index}); // step ${index}`).join(
      '\n',
    );
    const answer = `${prose(45)}\n\n\`\`\`rust\nfn main() {\n${code}\n}\n\`\`\`\n\n${prose(90)}`;
    expect(answer.length).toBeGreaterThan(6000);
    anthropic.enqueue({ text: answer, chunkSize: 40, delayMs: 2 });

    const question = discord.userSays({ content: harness.mention('write a lot') });
    await harness.answered(1);
    const messages = harness.replyMessages(question);
    expect(messages.map((message) => message.content)).toEqual(splitMessage(answer));
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const message of messages) {
      expect(message.content.length).toBeLessThanOrEqual(2000);
      expect((message.content.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const crossing = messages.findIndex(
      (message, index) => message.content.endsWith('\n```') && messages[index + 1]?.content.startsWith('```rust\n    '),
    );
    expect(crossing).toBeGreaterThan(0);
    // A message that rolled over is final: edited at most once after it was posted complete.
    for (const message of messages.slice(0, -1)) {
      expect(message.contents.at(-1)).toBe(message.content);
    }
    expect(discord.rateLimitCount).toBe(0);
  });
});

describe('conversations', () => {
  it('keeps a conversation per channel and sends it with follow-up questions', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const [first, second] = [discord.channelId(0), discord.channelId(1)];
    anthropic.enqueue({ text: 'Paris.' }, { text: 'About 2 million.' }, { text: 'Which city?' });

    discord.userSays({ channelId: first, content: harness.mention('Capital of France?') });
    await harness.answered(1);
    discord.userSays({ channelId: first, content: harness.mention('How many people live there?') });
    await harness.answered(2);
    discord.userSays({ channelId: second, content: harness.mention('How many people live there?') });
    await harness.answered(3);

    expect(anthropic.requests[1]?.body.messages).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'How many people live there?' },
    ]);
    expect(anthropic.requests[2]?.body.messages).toEqual([{ role: 'user', content: 'How many people live there?' }]);
  });

  it('answers two mentions in one channel in turn, the second with the first answer in context', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue(
      { text: 'First answer, streamed slowly.', chunkSize: 3, delayMs: 30 },
      { text: 'Second answer.' },
    );

    const one = discord.userSays({ content: harness.mention('one') });
    const secondPlaceholder = discord.waitFor(
      'messageCreate',
      (message) => message.content === PLACEHOLDER && message.referencedMessageId === two.id,
    );
    const two = discord.userSays({ content: harness.mention('two') });
    await secondPlaceholder;
    // The second reply is up while the first answer is still streaming.
    expect(harness.reports).toHaveLength(0);
    await harness.answered(2);

    expect(harness.replyMessages(one)[0]?.content).toBe('First answer, streamed slowly.');
    expect(harness.replyMessages(two)[0]?.content).toBe('Second answer.');
    expect(anthropic.requests[1]?.body.messages.map((message) => message.content)).toEqual([
      'one',
      'First answer, streamed slowly.',
      'two',
    ]);
  });

  it('streams answers in different channels at the same time', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const slow = { text: 'A slow and steady answer.', chunkSize: 2, delayMs: 20 };
    anthropic.enqueue(slow, slow);
    const [first, second] = [discord.channelId(0), discord.channelId(1)];
    discord.userSays({ channelId: first, content: harness.mention('a') });
    discord.userSays({ channelId: second, content: harness.mention('b') });
    // Both requests reach Claude before either answer ends.
    await anthropic.waitFor('request', (request) => request.index === 1);
    expect(harness.reports).toHaveLength(0);
    await harness.answered(2);
  });

  it('answers DMs, each DM being its own conversation', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Hi in private.' }, { text: 'Still private.' });
    const question = discord.dmSays({ content: 'hello there' });
    await harness.answered(1);
    expect(harness.replyMessages(question)[0]?.content).toBe('Hi in private.');
    discord.dmSays({ content: 'and again' });
    await harness.answered(2);
    expect(anthropic.requests[1]?.body.messages.map((message) => message.content)).toEqual([
      'hello there',
      'Hi in private.',
      'and again',
    ]);
  });
});

describe('how an answer ends', () => {
  it('adds a notice when the answer hit max_tokens', async () => {
    harness = await startHarness();
    harness.anthropic.enqueue({ text: 'This answer runs out of', stopReason: 'max_tokens' });
    const question = harness.discord.userSays({ content: harness.mention('long please') });
    await harness.answered(1);
    expect(harness.replyMessages(question)[0]?.content).toBe(`This answer runs out of\n\n${notices.maxTokens}`);
  });

  it('keeps the partial text and adds a notice on a mid-stream overloaded_error', async () => {
    harness = await startHarness();
    harness.anthropic.enqueue({
      deltas: ['Part one, ', 'part two, ', 'part three'],
      delayMs: 10,
      fault: { kind: 'error-event', afterDeltas: 2, type: 'overloaded_error' },
    });
    const question = harness.discord.userSays({ content: harness.mention('go') });
    const [report] = await harness.answered(1);
    const content = harness.replyMessages(question)[0]?.content ?? '';
    expect(content.startsWith('Part one, part two,\n\n-# ⚠️ Claude is overloaded')).toBe(true);
    expect(report).toMatchObject({ outcome: 'failed', failure: 'overloaded' });
  });

  it('explains an error before the stream in plain words', async () => {
    harness = await startHarness();
    harness.anthropic.enqueue(
      { fault: { kind: 'http-error', status: 529, type: 'overloaded_error' } },
      { fault: { kind: 'http-error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' } },
    );
    const first = harness.discord.userSays({ content: harness.mention('one') });
    await harness.answered(1);
    const second = harness.discord.userSays({ content: harness.mention('two') });
    await harness.answered(2);
    expect(harness.replyMessages(first)[0]?.content).toBe(failureText('overloaded'));
    expect(harness.replyMessages(second)[0]?.content).toBe(failureText('authentication'));
  });

  it('retries an overloaded API before the stream starts (SDK retries)', async () => {
    harness = await startHarness({ env: { ANTHROPIC_MAX_RETRIES: '1' } });
    harness.anthropic.enqueue(
      { fault: { kind: 'http-error', status: 529, type: 'overloaded_error', retryAfterMs: 1 } },
      { text: 'Made it on the second try.' },
    );
    const question = harness.discord.userSays({ content: harness.mention('hello') });
    await harness.answered(1);
    expect(harness.replyMessages(question)[0]?.content).toBe('Made it on the second try.');
    expect(harness.anthropic.requests).toHaveLength(2);
  });

  it('aborts a stream that goes silent, closes the connection and says so', async () => {
    harness = await startHarness({ env: { IDLE_TIMEOUT_MS: '300' } });
    harness.anthropic.enqueue({ deltas: ['Thinking about it'], fault: { kind: 'stall', afterDeltas: 1 } });
    const closed = harness.anthropic.waitFor('clientClosed');
    const question = harness.discord.userSays({ content: harness.mention('hmm') });
    const [report] = await harness.answered(1);
    expect((await closed).completed).toBe(false);
    expect(harness.replyMessages(question)[0]?.content).toBe(`Thinking about it\n\n${notices.idle}`);
    expect(report?.outcome).toBe('idle');
  });
});

describe('input and safety', () => {
  it('sends allowed_mentions that parse nothing with every POST and PATCH, so output pings no one', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const pings = `@everyone @here <@${discord.humanUser.id}> <@&${discord.guildId}> look!`;
    anthropic.enqueue({ text: `${pings} ${'more text '.repeat(30)}`, chunkSize: 6, delayMs: 5 });
    const question = discord.userSays({ content: harness.mention('ping everyone') });
    await harness.answered(1);

    const writes = discord.requests.filter((request) => request.method === 'POST' || request.method === 'PATCH');
    expect(writes.length).toBeGreaterThan(1);
    for (const write of writes) {
      expect(write.body).toMatchObject({ allowed_mentions: { parse: [] } });
    }
    const reply = harness.replyMessages(question)[0];
    expect(reply?.content.startsWith(pings)).toBe(true);
    expect(reply?.mentionIds).toEqual([]);
    expect(reply?.mentionEveryone).toBe(false);
  });

  it('ignores messages from bots', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const otherBot = { id: '222222222222222222', username: 'otherbot', bot: true };
    const fromBot = discord.userSays({ content: harness.mention('answer me, fellow bot'), author: otherBot });
    // Messages are handled in order: once the human's answer is done, the bot's was seen and dropped.
    const fromHuman = discord.userSays({ content: harness.mention('and me?') });
    await harness.answered(1);
    expect(anthropic.requests).toHaveLength(1);
    expect(harness.replyMessages(fromBot)).toEqual([]);
    expect(harness.replyMessages(fromHuman)).toHaveLength(1);
  });

  it('answers an empty mention with a hint and no model call', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const hint = discord.waitFor('messageCreate', (message) => message.authorId === discord.botUser.id);
    const question = discord.userSays({ content: `<@${discord.botUser.id}>   ` });
    const reply = await hint;
    expect(reply.content).toMatch(/^Ask me something/);
    expect(reply.referencedMessageId).toBe(question.id);
    discord.userSays({ content: harness.mention('real question') });
    await harness.answered(1);
    expect(anthropic.requests).toHaveLength(1);
  });
});
