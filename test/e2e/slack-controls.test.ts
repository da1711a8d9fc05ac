import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { markdownShown } from '../fakes/fake-slack.js';
import type { FakeSlack, SlackMessageSnapshot } from '../fakes/fake-slack.js';
import { controlText, notices } from '../../src/core/user-text.js';
import { slackMarkdown } from '../../src/platforms/slack/slack-text.js';
import { spawnBot } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';
import type { BotProcess } from './bot-process.js';

// The buttons under Slack answers, the bot started as a process against the fake Slack and the fake
// Anthropic (as in slack-answers.test.ts): Stop while streaming (a message of its own beside a
// native stream, in the message itself when posting and updating), Slack's own stop, and
// Regenerate / Continue at the end.

const fixtures = slackProcessFixtures();
let slack: FakeSlack;
let anthropic: FakeAnthropic;

beforeEach(() => {
  ({ slack, anthropic } = fixtures);
});

async function startedBot(extra: Record<string, string> = {}): Promise<BotProcess> {
  const bot = spawnBot(fixtures.botEnv(extra));
  await bot.logLine('connected to Slack');
  return bot;
}

// A slow answer: about 6 s, long enough to press a button while it streams.
const SLOW = Array.from({ length: 60 }, (_, index) => (index === 0 ? 'word0' : ` word${index}`));

/** The action_ids of the buttons a message shows. */
function buttonsOf(message: SlackMessageSnapshot): string[] {
  return (message.content.blocks ?? []).flatMap((block) => {
    const { type, elements } = block as { type?: string; elements?: { action_id?: string }[] };
    return type === 'actions' ? (elements ?? []).map((element) => element.action_id ?? '') : [];
  });
}

const STOP = 'streamcord:stop';
const REGENERATE = 'streamcord:regenerate';
const CONTINUE = 'streamcord:continue';
const REASONING = 'streamcord:reasoning';
const stoppedBy = (userId: string) => slackMarkdown(notices.stopped(userId));
const isStopButton = (message: SlackMessageSnapshot) => buttonsOf(message).includes(STOP);

describe('Slack answer controls', () => {
  it('Stop by the asker ends the native stream with the text so far and the stopped notice', async () => {
    anthropic.enqueue({ deltas: SLOW, delayMs: 100 });
    const bot = await startedBot();
    const stopButton = slack.waitFor('messagePosted', isStopButton);
    const appended = slack.waitFor('streamAppended');
    const { message: question } = slack.userMentions({ text: 'Count slowly' });
    const button = await stopButton;
    await appended;
    // The Stop button sits in the answer's thread, under the stream.
    expect(button.threadTs).toBe(question.ts);

    const stopped = slack.waitFor('streamStopped');
    const deleted = slack.waitFor('messageDeleted', (message) => message.ts === button.ts);
    const finished = bot.logLine('answer finished');
    slack.pressButton({ channel: question.channel, messageTs: button.ts, actionId: STOP });
    const answer = await stopped;
    await Promise.all([deleted, finished]);

    const shown = answer.content.markdownText ?? '';
    expect(shown.endsWith(`\n\n${stoppedBy(slack.humanUser.id)}`)).toBe(true);
    const soFar = shown.slice(0, shown.lastIndexOf('\n\n'));
    expect(soFar.length).toBeGreaterThan(0);
    expect(SLOW.join('').startsWith(soFar)).toBe(true);
    expect(soFar.length).toBeLessThan(SLOW.join('').length);
    // Nothing was appended after the stream stopped, and no call failed.
    const methods = slack.requests.map((call) => call.method);
    expect(methods.lastIndexOf('chat.appendStream')).toBeLessThan(methods.indexOf('chat.stopStream'));
    expect(slack.requests.filter((call) => call.response['ok'] !== true).map((call) => call.method)).toEqual([]);
    // The end: Regenerate under the answer; the Stop button is gone.
    expect(buttonsOf(answer)).toEqual([REGENERATE]);
    expect(slack.messagesIn(question.channel, question.ts).filter(isStopButton)).toEqual([]);
  });

  it('refuses Stop from someone else privately, and the answer goes on', async () => {
    anthropic.enqueue({ deltas: SLOW.slice(0, 30), delayMs: 100 });
    await startedBot();
    const other = slack.addUser('mallory');
    const stopButton = slack.waitFor('messagePosted', isStopButton);
    const { message: question } = slack.userMentions({ text: 'Count' });
    const button = await stopButton;

    const told = slack.waitFor('ephemeralPosted');
    const stopped = slack.waitFor('streamStopped');
    slack.pressButton({ channel: question.channel, messageTs: button.ts, actionId: STOP, user: other });
    const ephemeral = await told;
    expect(ephemeral.user).toBe(other.id);
    expect(ephemeral.threadTs).toBe(question.ts);
    expect(markdownShown(ephemeral.content)).toBe(slackMarkdown(controlText.notAllowedToStop));

    expect((await stopped).content.markdownText).toBe(SLOW.slice(0, 30).join(''));
  });

  it('stops the answer when the user stops the stream in Slack, with the stopped notice, not a failure', async () => {
    anthropic.enqueue({ deltas: SLOW, delayMs: 100 });
    await startedBot();
    const appended = slack.waitFor('streamAppended');
    const { message: question } = slack.userMentions({ text: 'Count slowly' });
    const { ts } = await appended;
    const ended = slack.waitFor('messageUpdated', (message) => message.ts === ts);
    slack.stopStreamAsUser(question.channel, ts);
    const soFar = slack.textOf(question.channel, ts);

    const shown = markdownShown((await ended).content) ?? '';
    expect(shown.startsWith(soFar.trimEnd())).toBe(true);
    expect(shown.endsWith(`\n\n${stoppedBy(slack.humanUser.id)}`)).toBe(true);
    expect(shown).not.toContain('⚠️');
    expect(shown.length).toBeLessThan(SLOW.join('').length);
  });

  it('Regenerate on the latest answer shows the new answer in the same message', async () => {
    anthropic.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userMentions({ text: 'Pick a word' });
    const first = await stopped;
    expect(buttonsOf(first)).toEqual([REGENERATE]);

    const regenerated = slack.waitFor(
      'messageUpdated',
      (message) => message.ts === first.ts && markdownShown(message.content) === 'Second answer.',
    );
    slack.pressButton({ channel: question.channel, messageTs: first.ts, actionId: REGENERATE });
    const second = await regenerated;
    expect(buttonsOf(second)).toEqual([REGENERATE]);
    const replies = slack.messagesIn(question.channel, question.ts).filter((message) => message.ts !== question.ts);
    expect(replies.map((message) => message.ts)).toEqual([first.ts]);
    expect(anthropic.requests).toHaveLength(2);
  });

  it('in the post-and-update fallback, shows Stop in the message while streaming, then takes old buttons away', async () => {
    slack.refuse('chat.startStream', 'feature_not_enabled');
    anthropic.enqueue({ deltas: SLOW.slice(0, 20), delayMs: 50 }, { text: 'Next.' });
    await startedBot();
    const posted = slack.waitFor('messagePosted', (message) => message.botId !== undefined);
    const { message: question } = slack.userMentions({ text: 'Count' });
    const answer = await posted;
    expect(buttonsOf(answer)).toEqual([STOP]);
    expect(answer.content.markdownText).toBeUndefined();
    expect(answer.content.text).toMatch(/\S/);

    const done = slack.waitFor(
      'messageUpdated',
      (message) => message.ts === answer.ts && markdownShown(message.content) === SLOW.slice(0, 20).join(''),
    );
    expect(buttonsOf(await done)).toEqual([REGENERATE]);

    // A newer answer in the thread: the old one keeps its text and loses its buttons.
    const bare = slack.waitFor(
      'messageUpdated',
      (message) => message.ts === answer.ts && buttonsOf(message).length === 0,
    );
    slack.userMentions({ text: 'And next?', threadTs: question.ts });
    const old = await bare;
    expect(old.content.markdownText).toBe(SLOW.slice(0, 20).join(''));
    expect(old.content.blocks).toBeUndefined();
  });

  it('Continue after the length limit goes on in a new message of the thread', async () => {
    anthropic.enqueue({ text: 'The first half', stopReason: 'max_tokens' }, { text: ' and the second half.' });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userMentions({ text: 'Write a lot' });
    const cut = await stopped;
    expect(cut.content.markdownText).toBe(slackMarkdown(`The first half\n\n${notices.maxTokens}`));
    expect(buttonsOf(cut)).toEqual([CONTINUE, REGENERATE]);

    const continued = slack.waitFor('streamStopped', (message) => message.ts !== cut.ts);
    slack.pressButton({ channel: question.channel, messageTs: cut.ts, actionId: CONTINUE });
    const next = await continued;
    expect(next.threadTs).toBe(question.ts);
    expect(next.content.markdownText).toBe('and the second half.');
    // Claude was asked to go on from the first half.
    expect(JSON.stringify(anthropic.requests[1]?.body.messages)).toContain('The first half');
  });

  it('Show reasoning sends Claude’s thinking to whoever presses it, privately', async () => {
    anthropic.enqueue({ blocks: [{ thinking: 'Six times seven.' }, { text: 'Forty-two.' }] });
    await startedBot({ THINKING: 'on' });
    const other = slack.addUser('curious');
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userMentions({ text: 'The answer?' });
    const answer = await stopped;
    expect(buttonsOf(answer)).toEqual([REGENERATE, REASONING]);

    const told = slack.waitFor('ephemeralPosted', (message) => message.user === other.id);
    slack.pressButton({ channel: question.channel, messageTs: answer.ts, actionId: REASONING, user: other });
    const reasoning = await told;
    expect(reasoning.threadTs).toBe(question.ts);
    expect(markdownShown(reasoning.content)).toContain('Six times seven.');
    expect(slack.messagesIn(question.channel, question.ts)).toHaveLength(2);
  });

  it('takes the Stop button away when the streamed message can no longer be written', async () => {
    slack.refuse('chat.appendStream', 'message_not_found');
    anthropic.enqueue({ deltas: SLOW.slice(0, 20), delayMs: 50 });
    await startedBot();
    const stopButton = slack.waitFor('messagePosted', isStopButton);
    const { message: question } = slack.userMentions({ text: 'Count' });
    const button = await stopButton;
    await slack.waitFor('messageDeleted', (message) => message.ts === button.ts);
    expect(slack.messagesIn(question.channel, question.ts).filter(isStopButton)).toEqual([]);
  });
});
