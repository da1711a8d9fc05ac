import { createHash } from 'node:crypto';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER, queueText } from '../../src/core/user-text.js';
import type { AnthropicScript } from '../fakes/fake-anthropic.js';
import type { FakeDiscord, FakeInteraction, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Queue caps and metadata.user_id end to end: the real discord.js client and the real Anthropic SDK
// against the fakes. A stalled first answer holds the channel while the others arrive; /stop ends it.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

/** The first request's answer: a few words, then silence until the bot lets go. */
const HOLD: AnthropicScript = { deltas: ['Holding the channel'], fault: { kind: 'stall', afterDeltas: 1 } };
const quick: AnthropicScript = { text: 'A quick answer.' };

/** Resolves once the bot has posted `count` messages (counting from now). */
function botPosts(discord: FakeDiscord, count: number): Promise<unknown> {
  let seen = 0;
  return discord.waitFor('messageCreate', (message) => message.authorId === discord.botUser.id && ++seen === count);
}

async function privateReply(discord: FakeDiscord, interaction: FakeInteraction): Promise<string> {
  await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  const [message] = discord.interactionMessages(interaction.id);
  expect(message?.ephemeral).toBe(true);
  return message?.content ?? '';
}

/** Stops the held answer in a channel, as its asker. */
async function release(discord: FakeDiscord, channelId?: string): Promise<void> {
  const stop = discord.runCommand({ name: 'stop', ...(channelId ? { channelId } : {}) });
  await privateReply(discord, stop);
}

const contents = (messages: StoredMessage[]) => messages.map((message) => message.content);

describe('queue caps', () => {
  it('with MAX_QUEUED_PER_CHANNEL=2, tells the 4th question at once that the channel is busy and never asks Claude', async () => {
    harness = await startHarness({
      env: { MAX_QUEUED_PER_CHANNEL: '2', IDLE_TIMEOUT_MS: '600000' },
      logLines: [],
    });
    const { discord, anthropic } = harness;
    anthropic.enqueue(HOLD, quick, quick);
    const streaming = anthropic.waitFor('request', (request) => request.index === 0);
    // Three placeholders and one busy reply.
    const posted = botPosts(discord, 4);
    const asked = [1, 2, 3, 4].map((n) => discord.userSays({ content: harness.mention(`question ${n}`) }));
    await Promise.all([streaming, posted]);

    expect(contents(harness.replyMessages(asked[3]!))).toEqual([queueText.channelBusy]);
    expect(contents(harness.replyMessages(asked[2]!))).toEqual([PLACEHOLDER]);
    const logged = await harness.logged((line) => line.includes('"reason":"queue-full"'));
    expect(JSON.parse(logged)).toMatchObject({ msg: 'question refused', channelId: discord.channelId(0), waiting: 2 });

    await release(discord);
    const reports = await harness.answered(3);
    expect(reports.map((report) => report.outcome)).toEqual(['stopped', 'complete', 'complete']);
    expect(anthropic.requests).toHaveLength(3);
    expect(anthropic.requests.map((request) => request.body.messages.at(-1)?.content)).not.toContain('question 4');
    // The busy reply stayed as it was: never a placeholder, never edited into an answer.
    const toFourth = [...discord.messages.values()].filter((message) => message.referencedMessageId === asked[3]!.id);
    expect(contents(toFourth)).toEqual([queueText.channelBusy]);
  }, 30_000);

  it('with MAX_QUEUED_PER_USER=1, refuses a second waiting question from the same person in another channel', async () => {
    harness = await startHarness({ env: { MAX_QUEUED_PER_USER: '1', IDLE_TIMEOUT_MS: '600000' } });
    const { discord, anthropic } = harness;
    const [first, second] = [discord.channelId(0), discord.channelId(1)];
    anthropic.enqueue(HOLD, HOLD, quick);
    const bothStreaming = anthropic.waitFor('request', (request) => request.index === 1);
    const placeholders = botPosts(discord, 3);
    discord.userSays({ channelId: first, content: harness.mention('one') });
    discord.userSays({ channelId: second, content: harness.mention('two, streams at once') });
    discord.userSays({ channelId: first, content: harness.mention('three, waits') });
    await Promise.all([bothStreaming, placeholders]);

    const refusal = botPosts(discord, 1);
    const refused = discord.userSays({ channelId: second, content: harness.mention('four, would wait') });
    await refusal;
    expect(contents(harness.replyMessages(refused))).toEqual([queueText.youAreWaiting(1)]);

    await release(discord, first);
    await release(discord, second);
    await harness.answered(3);
    expect(anthropic.requests).toHaveLength(3);
  }, 30_000);

  it('refuses /ask privately when the channel is full, with no model call', async () => {
    harness = await startHarness({ env: { MAX_QUEUED_PER_CHANNEL: '0', IDLE_TIMEOUT_MS: '600000' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue(HOLD);
    const streaming = anthropic.waitFor('request', (request) => request.index === 0);
    discord.userSays({ content: harness.mention('hold on') });
    await streaming;

    const ask = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: 'me too' }],
    });
    expect(await privateReply(discord, ask)).toBe(queueText.channelBusy);

    await release(discord);
    await harness.answered(1);
    expect(anthropic.requests).toHaveLength(1);
  }, 30_000);
});

describe('queue caps on Regenerate', () => {
  it('refuse a press privately while a new run would wait, and ask Claude nothing', async () => {
    harness = await startHarness({ env: { MAX_QUEUED_PER_CHANNEL: '0', IDLE_TIMEOUT_MS: '600000' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue(quick, HOLD);
    const question = discord.userSays({ content: harness.mention('answer me') });
    await harness.answered(1);
    const [reply] = harness.replyMessages(question);
    if (!reply) throw new Error('no reply');
    // A private /ask holds the channel; the mention's answer is still the channel's latest.
    const holding = anthropic.waitFor('request', (request) => request.index === 1);
    discord.runCommand({
      name: 'ask',
      options: [
        { name: 'prompt', type: ApplicationCommandOptionType.String, value: 'hold on' },
        { name: 'private', type: ApplicationCommandOptionType.Boolean, value: true },
      ],
    });
    await holding;

    const press = discord.pressButton({ messageId: reply.id, customId: `streamcord:regenerate:${question.id}` });
    expect(await privateReply(discord, press)).toBe(queueText.channelBusy);
    expect(anthropic.requests).toHaveLength(2);
    expect(discord.messages.get(reply.id)?.content).toBe(quick.text);
  }, 30_000);
});

describe('metadata.user_id', () => {
  it('carries a stable hash of the Discord user id on every request, never the id itself', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const id = discord.humanUser.id;
    discord.userSays({ content: harness.mention('first') });
    await harness.answered(1);
    discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: 'second' }],
    });
    await harness.answered(2);

    const expected = createHash('sha256').update(`discord:${id}`).digest('hex').slice(0, 32);
    expect(anthropic.requests.map((request) => request.body['metadata'])).toEqual([
      { user_id: expected },
      { user_id: expected },
    ]);
    for (const request of anthropic.requests) expect(JSON.stringify(request.body)).not.toContain(id);
  }, 30_000);
});
