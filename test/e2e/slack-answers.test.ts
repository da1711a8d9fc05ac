import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import { markdownShown } from '../fakes/fake-slack.js';
import { notices, WAITING_STATUS } from '../../src/core/user-text.js';
import { slackMarkdown } from '../../src/platforms/slack/slack-text.js';
import type { FakeSlack, SlackMessageSnapshot } from '../fakes/fake-slack.js';
import { killBots, spawnBot } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';
import type { BotProcess } from './bot-process.js';

// Slack alone, the bot started as `npm start` runs it with only the Slack tokens, the Anthropic key
// and SLACK_API_URL set (as the README's Slack section tells a newcomer), against the loopback fakes:
// the real Bolt app in Socket Mode and the real WebClient talk to the fake Slack.

const fixtures = slackProcessFixtures();
let slack: FakeSlack;
let anthropic: FakeAnthropic;
let dataDir: string;

beforeEach(() => {
  ({ slack, anthropic, dataDir } = fixtures);
});

async function startedBot(extra: Record<string, string> = {}): Promise<BotProcess> {
  const bot = spawnBot(fixtures.botEnv(extra));
  const connected = await bot.logLine('connected to Slack');
  expect(JSON.stringify(connected)).not.toContain(slack.botToken);
  return bot;
}

const ANSWER = ['Streams ', 'arrive ', 'in ', 'pieces, ', 'appended ', 'as ', 'they ', 'come.'];

describe('Slack', () => {
  it('answers a mention in a thread under the question, streamed natively, ending with exactly Claude’s text', async () => {
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userMentions({ text: 'How do answers arrive?' });
    const answer = await stopped;

    expect(answer.channel).toBe(question.channel);
    expect(answer.threadTs).toBe(question.ts);
    expect(answer.content.markdownText).toBe(ANSWER.join(''));
    // Streamed to the asker of the workspace, in more than one piece.
    expect(answer.stream?.recipientUserId).toBe(slack.humanUser.id);
    expect(answer.stream?.recipientTeamId).toBeDefined();
    expect(answer.stream?.chunks.length).toBeGreaterThan(1);
    expect(slack.callsOf('chat.appendStream').length).toBeGreaterThanOrEqual(1);
    expect(slack.callsOf('chat.update')).toEqual([]);
    // Claude was asked the question without the mention of the app.
    const [request] = anthropic.requests;
    expect(JSON.stringify(request?.body.messages)).toContain('How do answers arrive?');
    expect(JSON.stringify(request?.body.messages)).not.toContain(slack.botUser.id);
  });

  it('answers a DM in its thread, and keeps each thread one conversation', async () => {
    anthropic.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });
    await startedBot();
    const first = slack.waitFor('streamStopped');
    const { message: question } = slack.userDMs({ text: 'Remember the word teal.' });
    const answer = await first;
    expect(answer.channel).toBe(slack.dmChannelOf());
    expect(answer.threadTs).toBe(question.ts);
    expect(answer.content.markdownText).toBe('First answer.');

    const second = slack.waitFor('streamStopped');
    slack.userDMs({ text: 'Which word?', threadTs: question.ts });
    expect((await second).content.markdownText).toBe('Second answer.');
    // The follow-up in the thread was sent with the thread's first exchange.
    const followUp = JSON.stringify(anthropic.requests[1]?.body.messages);
    expect(followUp).toContain('Remember the word teal.');
    expect(followUp).toContain('First answer.');
  });

  it('posts and updates the answer when the workspace refuses native streaming', async () => {
    slack.refuse('chat.startStream', 'feature_not_enabled');
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 });
    await startedBot();
    const done = slack.waitFor('messageUpdated', (message) => markdownShown(message.content) === ANSWER.join(''));
    const { message: question } = slack.userMentions({ text: 'And without streaming?' });
    const answer: SlackMessageSnapshot = await done;

    expect(answer.threadTs).toBe(question.ts);
    expect(answer.stream).toBeUndefined();
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(slack.callsOf('chat.update').length).toBeGreaterThanOrEqual(1);
  });

  it('never lets the model notify anyone', async () => {
    const loud = 'Hey <!channel> and <!here>, ask <@U0FAKEUSER> or <!subteam^S123> — @everyone!';
    anthropic.enqueue({ text: loud });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({ text: 'Shout' });
    const shown = (await stopped).content.markdownText ?? '';

    for (const mention of ['<!channel>', '<!here>', '<@U0FAKEUSER>', '<!subteam^S123>', '@everyone']) {
      expect(shown).not.toContain(mention);
    }
    // Still readable: only an invisible word joiner was put in.
    expect(shown.replaceAll('\u2060', '')).toBe(loud);
  });

  it('keeps the streamed text and ends it with the notice when Claude fails mid-stream', async () => {
    anthropic.enqueue({
      deltas: ['Part one, ', 'part two,'],
      delayMs: 30,
      fault: { kind: 'error-event', afterDeltas: 2, type: 'overloaded_error' },
    });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({ text: 'Go on' });
    const shown = (await stopped).content.markdownText ?? '';
    expect(shown.startsWith('Part one, part two,\n\n')).toBe(true);
    // The notice in Slack's words: italics, not Discord's small-text line.
    expect(shown).toMatch(/\n\n_⚠️ Claude is overloaded right now[^\n]*_$/);
  });

  it('serves Discord and Slack from one process', async () => {
    const discord = await startFakeDiscord();
    try {
      anthropic.enqueue({ text: 'Hello, Slack.' }, { text: 'Hello, Discord.' });
      const bot = spawnBot({
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_APP_TOKEN: slack.appToken,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: 'test-discord-token',
        DISCORD_API_URL: discord.apiUrl,
        ANTHROPIC_API_KEY: 'test-anthropic-key',
        ANTHROPIC_BASE_URL: anthropic.url,
        ANTHROPIC_MAX_RETRIES: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      });
      await Promise.all([bot.logLine('connected to Slack'), bot.logLine('connected to Discord')]);

      const stopped = slack.waitFor('streamStopped');
      slack.userMentions({ text: 'Hi from Slack' });
      expect((await stopped).content.markdownText).toBe('Hello, Slack.');

      const question = discord.userSays({ content: `<@${discord.botUser.id}> Hi from Discord` });
      const reply = await discord.waitFor(
        'messageUpdate',
        (message) => message.referencedMessageId === question.id && message.content === 'Hello, Discord.',
      );
      expect(reply.content).toBe('Hello, Discord.');
      // Two conversations: the Discord question did not carry the Slack exchange.
      expect(JSON.stringify(anthropic.requests[1]?.body.messages)).not.toContain('Hi from Slack');
    } finally {
      await killBots();
      await discord.close();
    }
  });

  it('says the thread is thinking until Claude’s first words, then clears the status', async () => {
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30, ttftMs: 300 });
    await startedBot();
    const waiting = slack.waitFor('statusSet', (event) => event.status === WAITING_STATUS);
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userMentions({ text: 'Take your time' });
    expect((await waiting).threadTs).toBe(question.ts);
    const answer = await stopped;

    const calls = slack.requests.map((call) => call.method);
    expect(calls.indexOf('assistant.threads.setStatus')).toBeLessThan(calls.indexOf('chat.appendStream'));
    expect(slack.statusOf(answer.channel, question.ts)).toBe('');
    expect(answer.content.markdownText).toBe(ANSWER.join(''));
  });

  it('goes on in the same message, updated whole, when Slack ends its stream early', async () => {
    anthropic.enqueue({ deltas: ANSWER, delayMs: 120 });
    const bot = await startedBot();
    const firstAppend = slack.waitFor('streamAppended');
    const finished = bot.logLine('answer finished');
    slack.userMentions({ text: 'Slowly, please' });
    const { channel, ts } = await firstAppend;
    slack.expireStream(channel, ts);
    const report = await finished;

    expect(report['outcome']).toBe('complete');
    expect(slack.textOf(channel, ts)).toBe(ANSWER.join(''));
    expect(slack.callsOf('chat.update').length).toBeGreaterThanOrEqual(1);
  });

  it('shows Claude thinking as the thread status, never in the streamed answer', async () => {
    // Thinking streamed over about 2.5 s, in deltas every 100 ms: long enough for the status to show.
    const deltas = Array.from({ length: 25 }, (_, index) => `step ${index}. `);
    anthropic.enqueue({ blocks: [{ thinking: deltas.join(''), deltas, delayMs: 100 }, { text: 'Forty-two.' }] });
    await startedBot({ THINKING: 'on' });
    const thinking = slack.waitFor('statusSet', (event) => event.status.startsWith('💭 Thinking'));
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userDMs({ text: 'The answer?' });

    expect((await thinking).threadTs).toBe(question.ts);
    const answer = await stopped;
    expect(answer.content.markdownText).toBe('Forty-two.');
    expect(slack.statusOf(answer.channel, question.ts)).toBe('');
  });

  it('splits a long answer at Slack’s limit into messages of the thread, each streamed and stopped', async () => {
    const words = Array.from({ length: 2600 }, (_, index) => `word${index % 10}`);
    const long = words.join(' ');
    anthropic.enqueue({ text: long, chunkSize: 400 });
    await startedBot({ MAX_TOKENS: '8000' });
    let stops = 0;
    const bothStopped = slack.waitFor('streamStopped', () => ++stops === 2);
    const { message: question } = slack.userMentions({ text: 'Say a lot' });
    await bothStopped;

    const replies = slack.messagesIn(question.channel, question.ts).filter((message) => message.ts !== question.ts);
    expect(replies).toHaveLength(2);
    const texts = replies.map((message) => message.content.markdownText ?? '');
    expect(texts.every((text) => text.length > 0 && text.length <= 12_000)).toBe(true);
    expect(texts.join(' ').split(/\s+/)).toEqual(words);
  });

  it('keeps a channel thread one conversation, apart from the channel’s other threads', async () => {
    anthropic.enqueue({ text: 'Noted: teal.' }, { text: 'Other thread.' }, { text: 'It was teal.' });
    await startedBot();
    let stops = 0;
    const twoStopped = slack.waitFor('streamStopped', () => ++stops === 2);
    const { message: first } = slack.userMentions({ text: 'Remember teal.' });
    slack.userMentions({ text: 'Something else.' });
    await twoStopped;

    const third = slack.waitFor('streamStopped', (message) => message.threadTs === first.ts);
    slack.userMentions({ text: 'Which colour?', threadTs: first.ts });
    expect((await third).content.markdownText).toBe('It was teal.');
    const followUp = JSON.stringify(anthropic.requests[2]?.body.messages);
    expect(followUp).toContain('Remember teal.');
    expect(followUp).not.toContain('Something else.');
  });

  it('counts budgets by Slack user: over the limit, the refusal goes into the thread and Claude is not asked', async () => {
    anthropic.enqueue({ text: 'One answer.' });
    await startedBot({ USER_REQUESTS_PER_MINUTE: '1' });
    const answered = slack.waitFor('streamStopped');
    slack.userMentions({ text: 'First' });
    await answered;

    const refusal = slack.waitFor('messagePosted', (message) => message.botId !== undefined);
    const { message: second } = slack.userMentions({ text: 'Second' });
    const refused = await refusal;
    expect(refused.threadTs).toBe(second.ts);
    expect(refused.content.markdownText).toMatch(/\S/);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('on SIGTERM ends a running stream with the shutdown notice, then exits 0', async () => {
    anthropic.enqueue({ deltas: ['Half an answer'], fault: { kind: 'stall', afterDeltas: 1 } });
    const { child, exited } = await startedBot({ SHUTDOWN_GRACE_MS: '200' });
    const appended = slack.waitFor('streamAppended');
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({ text: 'Take your time' });
    await appended;
    child.kill('SIGTERM');

    expect((await exited).code).toBe(0);
    expect((await stopped).content.markdownText).toBe(slackMarkdown(`Half an answer\n\n${notices.interrupted}`));
  });

  it('ends every stream of a long answer that arrives at once, the complete pieces first', async () => {
    const words = Array.from({ length: 5000 }, (_, index) => `word${index % 10}`);
    anthropic.enqueue({ text: words.join(' '), chunkSize: 30_000 });
    await startedBot({ MAX_TOKENS: '8000' });
    let stops = 0;
    const allStopped = slack.waitFor('streamStopped', () => ++stops === 3);
    const { message: question } = slack.userMentions({ text: 'Everything at once' });
    await allStopped;

    const replies = slack.messagesIn(question.channel, question.ts).filter((message) => message.ts !== question.ts);
    expect(replies.map((message) => message.stream?.state)).toEqual(['stopped', 'stopped', 'stopped']);
    const texts = replies.map((message) => message.content.markdownText ?? '');
    expect(texts.join(' ').split(/\s+/)).toEqual(words);
  });
});
