import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/command.js';
import { splitMessage } from '../../src/core/reply/split-message.js';
import { commandText, notices } from '../../src/core/user-text.js';
import type { FakeDiscord, FakeInteraction } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// /ask and /reset end to end: the real discord.js client and the real Anthropic SDK against the fakes.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const moderator =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages;

function ask(discord: FakeDiscord, prompt: string, extra: { private?: boolean; channelId?: string } = {}) {
  const options = [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: prompt }];
  if (extra.private !== undefined) {
    options.push({ name: 'private', type: ApplicationCommandOptionType.Boolean, value: extra.private as never });
  }
  return discord.runCommand({ name: 'ask', options, ...(extra.channelId ? { channelId: extra.channelId } : {}) });
}

/** The private answer a command gave without streaming (the interaction's only message). */
async function privateAnswer(discord: FakeDiscord, run: () => FakeInteraction): Promise<string> {
  // The callback comes back over REST after the gateway round trip, so waiting now misses nothing.
  const interaction = run();
  const callback = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(callback.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return discord.interactionMessages(interaction.id)[0]?.content ?? '';
}

describe('/ask', () => {
  it('acknowledges at once and streams the answer into the command reply', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const answer = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');
    anthropic.enqueue({ text: answer, chunkSize: 6, delayMs: 6 });

    const interaction = ask(discord, 'count for me');
    const ack = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
    await harness.answered(1);

    expect(ack.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(ack.flags & MessageFlags.Ephemeral).toBe(0);
    const [original] = discord.interactionMessages(interaction.id);
    expect(original?.content).toBe(answer);
    expect(original?.ephemeral).toBe(false);
    // It streamed: several edits of the original, all through the interaction's webhook.
    const edits = discord.requests.filter((request) => request.route?.startsWith('PATCH /webhooks/'));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (const edit of edits) expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(discord.rateLimitCount).toBe(0);
    expect(anthropic.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'count for me' }]);
  });

  it('answers privately with private:true', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Only you can see this.' });
    const interaction = ask(discord, 'a secret question', { private: true });
    const ack = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
    expect(ack.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    await harness.answered(1);
    const [original] = discord.interactionMessages(interaction.id);
    expect(original).toMatchObject({ content: 'Only you can see this.', ephemeral: true });
  });

  it('continues a long answer in follow-ups', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const paragraph = (n: number) => Array.from({ length: n }, (_, index) => `Line ${index} of the answer.`).join(' ');
    const answer = [paragraph(60), '```js\n' + 'console.log(1);\n'.repeat(90) + '```', paragraph(60)].join('\n\n');
    expect(answer.length).toBeGreaterThan(4000);
    anthropic.enqueue({ text: answer, chunkSize: 50, delayMs: 2 });

    const interaction = ask(discord, 'write a lot');
    await harness.answered(1);
    const messages = discord.interactionMessages(interaction.id);
    expect(messages.map((message) => message.content)).toEqual(splitMessage(answer));
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(discord.rateLimitCount).toBe(0);
  });

  it('shares the channel conversation with mentions, but a private ask adds nothing to it', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' }, { text: 'Nobody else sees this.' }, { text: 'About 2 million.' });

    ask(discord, 'Capital of France?');
    await harness.answered(1);
    ask(discord, 'Is this private?', { private: true });
    await harness.answered(2);
    discord.userSays({ content: harness.mention('How many people live there?') });
    await harness.answered(3);

    // The private ask saw the public exchange; the mention saw the public exchange only.
    expect(anthropic.requests[1]?.body.messages.map((message) => message.content)).toEqual([
      'Capital of France?',
      'Paris.',
      'Is this private?',
    ]);
    expect(anthropic.requests[2]?.body.messages.map((message) => message.content)).toEqual([
      'Capital of France?',
      'Paris.',
      'How many people live there?',
    ]);
  });

  it('refuses an empty prompt privately, without asking Claude', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    expect(await privateAnswer(discord, () => ask(discord, '   '))).toBe(commandText.missing('prompt'));
    expect(await privateAnswer(discord, () => ask(discord, 'x'.repeat(4001)))).toBe(
      commandText.tooLong('prompt', 4000),
    );
    expect(anthropic.requests).toHaveLength(0);
  });

  it('moves an answer still streaming near the token expiry into channel messages', async () => {
    harness = await startHarness({
      // Discord would refuse the token after 1.5 s here: nothing may use it after the hand-off.
      discord: { interactionTokenTtlMs: 1500 },
      env: { INTERACTION_HANDOFF_MS: '400' },
    });
    const { discord, anthropic } = harness;
    const words = Array.from({ length: 100 }, (_, index) => `w${index}`);
    anthropic.enqueue({ text: words.join(' '), chunkSize: 8, delayMs: 25 }); // ~2 s

    const interaction = ask(discord, 'a slow one');
    await harness.answered(1);

    const [original] = discord.interactionMessages(interaction.id);
    const continued = [...discord.messages.values()].filter(
      (message) =>
        message.channelId === interaction.channelId &&
        message.interactionId === undefined &&
        message.authorId === discord.botUser.id,
    );
    expect(original?.content.startsWith('w0 w1')).toBe(true);
    expect(continued.length).toBeGreaterThanOrEqual(1);
    const shown = [original, ...continued].map((message) => message?.content ?? '').join(' ');
    expect(shown.split(' ')).toEqual(words);
    expect(discord.requests.filter((request) => request.status === 401)).toEqual([]);
  });

  it('ends a private answer at the hand-off with a notice', async () => {
    harness = await startHarness({ env: { INTERACTION_HANDOFF_MS: '300' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'This private answer takes far too long to finish.', chunkSize: 5, delayMs: 100 });
    const interaction = ask(discord, 'slow and private', { private: true });
    const [report] = await harness.answered(1);
    expect(report?.outcome).toBe('expired');
    const [original] = discord.interactionMessages(interaction.id);
    expect(original?.content.endsWith(notices.expired)).toBe(true);
    expect((await anthropic.waitFor('clientClosed')).completed).toBe(false);
  });
});

describe('/reset', () => {
  it('clears the channel conversation for a moderator', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' }, { text: 'Which city?' });
    ask(discord, 'Capital of France?');
    await harness.answered(1);

    const reply = await privateAnswer(discord, () => discord.runCommand({ name: 'reset', permissions: moderator }));
    expect(reply).toBe(commandText.cleared(1));
    discord.userSays({ content: harness.mention('How many people live there?') });
    await harness.answered(2);
    expect(anthropic.requests[1]?.body.messages).toEqual([{ role: 'user', content: 'How many people live there?' }]);
  });

  it('refuses members without Manage Messages, and lets configured admins in', async () => {
    const admin = { id: '333333333333333333', username: 'admin' };
    harness = await startHarness({ env: { ADMIN_USER_IDS: admin.id } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' });
    ask(discord, 'Capital of France?');
    await harness.answered(1);

    const refusal = await privateAnswer(discord, () => discord.runCommand({ name: 'reset' }));
    expect(refusal).toBe(commandText.notAllowed('reset', 'moderators'));
    const cleared = await privateAnswer(discord, () => discord.runCommand({ name: 'reset', user: admin }));
    expect(cleared).toBe(commandText.cleared(1));
  });
});

describe('command routing', () => {
  it('answers an unknown command privately', async () => {
    harness = await startHarness();
    const { discord } = harness;
    expect(await privateAnswer(discord, () => discord.runCommand({ name: 'dance' }))).toBe(commandText.unknown);
  });

  it('tells the user privately when a command fails, and keeps running', async () => {
    const failing: Command = {
      data: { name: 'boom', description: 'Always fails', access: 'everyone', options: [] },
      execute: () => Promise.reject(new Error('kaboom')),
    };
    harness = await startHarness({ commands: [failing] });
    const { discord } = harness;
    expect(await privateAnswer(discord, () => discord.runCommand({ name: 'boom' }))).toBe(commandText.failed);
    expect(await privateAnswer(discord, () => discord.runCommand({ name: 'boom' }))).toBe(commandText.failed);
  });

  it('follows up privately when a command fails after it has answered', async () => {
    const halfway: Command = {
      data: { name: 'halfway', description: 'Answers, then fails', access: 'everyone', options: [] },
      execute: async ({ answer }) => {
        await answer('say hi', { private: false });
        throw new Error('after the answer');
      },
    };
    harness = await startHarness({ commands: [halfway] });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Hi!' });
    const interaction = discord.runCommand({ name: 'halfway' });
    const followUp = await discord.waitFor(
      'messageCreate',
      (message) => message.interactionId === interaction.id && message.content === commandText.failed,
    );
    expect(followUp.ephemeral).toBe(true);
    expect(discord.interactionMessages(interaction.id).map((message) => message.content)).toEqual([
      'Hi!',
      commandText.failed,
    ]);
  });
});
