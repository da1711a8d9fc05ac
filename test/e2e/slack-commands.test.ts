import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeSlack, FakeSlackUser, ResponseUrlPost } from '../fakes/fake-slack.js';
import { accessText, commandText, slackCommandText } from '../../src/core/user-text.js';
import { costing } from './budget-helpers.js';
import { spawnBot } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';

// Slack's slash commands (/ask, its private form, /usage, /reset) and the access lists and budgets
// keyed by Slack ids, with the bot started as a process against the fake Slack and the fake Anthropic
// (as slack-answers.test.ts does). Commands answer the caller alone through their response_url.

const fixtures = slackProcessFixtures();
let slack: FakeSlack;
let anthropic: FakeAnthropic;

beforeEach(() => {
  ({ slack, anthropic } = fixtures);
});

async function startedBot(extra: Record<string, string> = {}): Promise<void> {
  const bot = spawnBot(fixtures.botEnv(extra));
  await bot.logLine('connected to Slack');
}

/** What a response_url post shows: its markdown block. */
function shown(post: ResponseUrlPost): string {
  const [block] = (post.body['blocks'] ?? []) as { type?: string; text?: string }[];
  return block?.type === 'markdown' ? (block.text ?? '') : '';
}

/** Runs a command and resolves with the first thing said to the caller alone that passes `until`. */
async function command(
  name: string,
  text: string,
  options: { user?: FakeSlackUser; channel?: string; until?: (text: string) => boolean } = {},
): Promise<string> {
  const { until = () => true, ...where } = options;
  const posted = slack.waitFor('responseUrlPost', (post) => until(shown(post)));
  const { envelope } = slack.runSlashCommand({ command: `/${name}`, text, ...where });
  await slack.waitForAck(envelope.envelopeId);
  const post = await posted;
  expect(post.body['response_type']).toBe('ephemeral');
  return shown(post);
}

/** A mention, and the app's answer streamed into its thread. */
async function answered(text: string, user: FakeSlackUser = slack.humanUser): Promise<string> {
  const stopped = slack.waitFor('streamStopped');
  slack.userMentions({ text, user });
  return (await stopped).content.markdownText ?? '';
}

/** A mention, and the refusal the app posted into its thread instead of an answer. */
async function refused(text: string, user: FakeSlackUser = slack.humanUser): Promise<string> {
  const posted = slack.waitFor('messagePosted', (message) => message.threadTs !== undefined);
  slack.userMentions({ text, user });
  return (await posted).content.markdownText ?? '';
}

const ANSWER = ['Commands ', 'stream ', 'too, ', 'in ', 'a ', 'thread.'];

describe('Slack slash commands', () => {
  it('/ask posts the question as the app and streams the answer into its thread', async () => {
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const { envelope } = slack.runSlashCommand({ command: '/ask', text: 'How do commands answer?' });
    await slack.waitForAck(envelope.envelopeId);
    const answer = await stopped;

    expect(answer.content.markdownText).toBe(ANSWER.join(''));
    expect(answer.stream?.chunks.length).toBeGreaterThan(1);
    const [question] = slack.messagesIn(slack.channelId());
    expect(answer.threadTs).toBe(question?.ts);
    expect(question?.content.markdownText).toBe('**alice** asked:\n> How do commands answer?');
    expect(JSON.stringify(anthropic.requests[0]?.body.messages)).toContain('How do commands answer?');
    expect(slack.responseUrlPosts).toEqual([]);
  });

  it('/ask private: answers the caller alone, through the response_url, and adds nothing to the channel', async () => {
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 }, { text: 'Nothing was said before.' });
    await startedBot();
    const answer = await command('ask', 'private: A secret question?', { until: (text) => text === ANSWER.join('') });

    expect(answer).toBe(ANSWER.join(''));
    expect(slack.responseUrlPosts.length).toBeLessThanOrEqual(5);
    for (const post of slack.responseUrlPosts) expect(post.body['response_type']).toBe('ephemeral');
    expect(slack.messagesIn(slack.channelId())).toEqual([]);
    expect(slack.callsOf('chat.startStream')).toEqual([]);
    const asked = JSON.stringify(anthropic.requests[0]?.body.messages);
    expect(asked).toContain('A secret question?');
    expect(asked).not.toContain('private:');

    // Not remembered: the channel's next question comes without it.
    const stopped = slack.waitFor('streamStopped');
    slack.runSlashCommand({ command: '/ask', text: 'What did I ask?' });
    await stopped;
    expect(JSON.stringify(anthropic.requests[1]?.body.messages)).not.toContain('A secret question?');
  });

  it('/usage shows the caller’s use today, privately, after an answer', async () => {
    anthropic.enqueue(costing(60, 40));
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    slack.runSlashCommand({ command: '/ask', text: 'Spend some tokens' });
    await stopped;

    const usage = await command('usage', '');
    expect(usage).toContain('**Your use today**');
    expect(usage).toContain('You: 100 tokens (no daily limit)');
    // Discord's small-text line in Slack's words.
    expect(usage).toMatch(/^_60 input · 40 output/m);
  });

  it('/ask continues the channel’s conversation, and /reset forgets it', async () => {
    anthropic.enqueue({ text: 'Teal it is.' }, { text: 'You said teal.' }, { text: 'I do not know.' });
    await startedBot();
    const channel = slack.dmChannelOf();
    const ask = async (text: string) => {
      const stopped = slack.waitFor('streamStopped');
      slack.runSlashCommand({ command: '/ask', text, channel });
      await stopped;
    };
    await ask('Remember the word teal.');
    await ask('Which word?');
    expect(JSON.stringify(anthropic.requests[1]?.body.messages)).toContain('Remember the word teal.');

    expect(await command('reset', '', { channel })).toBe(commandText.cleared(2));
    await ask('Which word now?');
    const after = JSON.stringify(anthropic.requests[2]?.body.messages);
    expect(after).toContain('Which word now?');
    expect(after).not.toContain('teal');
  });

  it('/ask where the app may not post says so privately without asking Claude; the private form still answers', async () => {
    slack.refuse('chat.postMessage', 'not_in_channel');
    anthropic.enqueue({ text: 'Privately, then.' });
    await startedBot();
    expect(await command('ask', 'Here?')).toBe(slackCommandText.cannotPostHere);
    expect(anthropic.requests).toEqual([]);
    const answer = await command('ask', 'private: Here?', { until: (text) => text === 'Privately, then.' });
    expect(answer).toBe('Privately, then.');
  });

  it('/reset in a channel is for the bot’s admins (Slack has no Manage Messages)', async () => {
    await startedBot();
    expect(await command('reset', '')).toBe(commandText.notAllowed('reset', 'moderators'));
  });
});

describe('Access lists and budgets with Slack ids', () => {
  it('ALLOWED_USER_IDS with a Slack user id lets that user in and refuses another without asking Claude', async () => {
    const bob = slack.addUser('bob');
    anthropic.enqueue({ text: 'Hello Alice.' });
    await startedBot({ ALLOWED_USER_IDS: slack.humanUser.id });
    expect(await answered('Hi')).toBe('Hello Alice.');
    expect(await refused('Hi', bob)).toBe(accessText.user);
    expect(await command('ask', 'Me too?', { user: bob })).toBe(accessText.user);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('BLOCKED_USER_IDS with a Slack user id refuses that user without asking Claude', async () => {
    await startedBot({ BLOCKED_USER_IDS: slack.humanUser.id });
    expect(await refused('Hi')).toBe(accessText.blocked);
    expect(await command('ask', 'private: And now?')).toBe(accessText.blocked);
    expect(anthropic.requests).toEqual([]);
  });

  it('ALLOWED_CHANNEL_IDS and ALLOWED_GUILD_IDS take Slack channel and workspace ids', async () => {
    anthropic.enqueue({ text: 'Allowed here.' });
    await startedBot({ ALLOWED_CHANNEL_IDS: slack.channelId(0), ALLOWED_GUILD_IDS: slack.teamId });
    const stopped = slack.waitFor('streamStopped');
    slack.runSlashCommand({ command: '/ask', text: 'Here?', channel: slack.channelId(0) });
    expect((await stopped).content.markdownText).toBe('Allowed here.');
    expect(await command('ask', 'And here?', { channel: slack.channelId(1) })).toBe(accessText.channel);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('USER_DAILY_TOKENS counts by the Slack user: over it, /ask and mentions are refused without asking Claude', async () => {
    anthropic.enqueue(costing(60, 40));
    await startedBot({ USER_DAILY_TOKENS: '100' });
    expect(await answered('Spend it')).toBe('An answer worth 100 tokens.');

    expect(await command('ask', 'One more?')).toMatch(/^⏳ You have used today’s budget: 100 of 100 tokens\./);
    expect(await refused('And now?')).toMatch(/^⏳ You have used today’s budget/);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('CHANNEL_DAILY_TOKENS counts by the Slack channel, whoever asks there', async () => {
    const bob = slack.addUser('bob');
    anthropic.enqueue(costing(60, 40), { text: 'In the other channel.' });
    await startedBot({ CHANNEL_DAILY_TOKENS: '100' });
    const stopped = slack.waitFor('streamStopped');
    slack.runSlashCommand({ command: '/ask', text: 'Spend the channel’s budget' });
    await stopped;

    expect(await refused('Mine?', bob)).toMatch(/^⏳ This channel has used today’s budget/);
    const elsewhere = await command('ask', 'private: Elsewhere?', {
      user: bob,
      channel: slack.channelId(1),
      until: (text) => text === 'In the other channel.',
    });
    expect(elsewhere).toBe('In the other channel.');
    expect(anthropic.requests).toHaveLength(2);
  });

  it('an ADMIN_USER_IDS Slack user passes the budgets and the lists', async () => {
    anthropic.enqueue(costing(60, 40), { text: 'Still answered.' });
    await startedBot({
      USER_DAILY_TOKENS: '100',
      ADMIN_USER_IDS: slack.humanUser.id,
      BLOCKED_USER_IDS: slack.humanUser.id,
    });
    expect(await answered('Spend it')).toBe('An answer worth 100 tokens.');
    expect(await answered('More')).toBe('Still answered.');
    expect(anthropic.requests).toHaveLength(2);
  });
});
