import { describe, expect, it } from 'vitest';
import { notices } from '../../src/core/user-text.js';
import { slackMarkdown } from '../../src/platforms/slack/slack-text.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import { markdownShown, type SlackMessageSnapshot } from '../fakes/fake-slack.js';
import { spawnBot } from './bot-process.js';
import type { BotProcess } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';

// A crash (SIGKILL) in the middle of a Slack answer leaves its stream open and its reply on record;
// the next start with the same DATA_DIR stops the stream and ends the message with the notice.

const fixtures = slackProcessFixtures();
const RESTARTED = slackMarkdown(notices.restarted);

async function startedBot(extra: Record<string, string> = {}): Promise<BotProcess> {
  const bot = spawnBot(fixtures.botEnv(extra));
  await bot.logLine('connected to Slack');
  return bot;
}

/** Mentions the app and resolves once its answer shows `text` and is on record. */
async function askUntilShowing(bot: BotProcess, text: string): Promise<SlackMessageSnapshot> {
  const { slack } = fixtures;
  const recorded = bot.logLine('reply on record');
  const started = slack.waitFor('streamStarted');
  const showing =
    text === ''
      ? undefined
      : slack.waitFor('streamAppended', (event) => slack.textOf(event.channel, event.ts) === text);
  slack.userMentions({ text: 'Tell me' });
  const answer = await started;
  await Promise.all([recorded, showing]);
  return answer;
}

async function crash(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGKILL');
  await bot.exited;
}

describe('the Slack restart sweep', () => {
  it('stops a stream a crash left open and ends it with the interrupted notice, keeping its text', async () => {
    const { slack, anthropic } = fixtures;
    anthropic.enqueue({ deltas: ['Cut off in the middle'], fault: { kind: 'stall', afterDeltas: 1 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const answer = await askUntilShowing(first, 'Cut off in the middle');
    await crash(first);
    expect(slack.message(answer.channel, answer.ts).stream?.state).toBe('streaming');

    const stopped = slack.waitFor('streamStopped', (message) => message.ts === answer.ts);
    const marked = slack.waitFor('messageUpdated', (message) => message.ts === answer.ts);
    await startedBot();
    await stopped;
    expect((await marked).content.markdownText).toBe(`Cut off in the middle\n\n${RESTARTED}`);
    expect(slack.message(answer.channel, answer.ts).stream?.state).toBe('stopped');
  });

  it('ends a stream that had no text yet with the notice alone', async () => {
    const { slack, anthropic } = fixtures;
    anthropic.enqueue({ deltas: [], fault: { kind: 'stall', afterDeltas: 0 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const answer = await askUntilShowing(first, '');
    await crash(first);

    const marked = slack.waitFor('messageUpdated', (message) => message.ts === answer.ts);
    await startedBot();
    expect((await marked).content.markdownText).toBe(RESTARTED);
  });

  it('marks a posted-and-updated answer (no native streaming) with the text Slack shows for it', async () => {
    const { slack, anthropic } = fixtures;
    slack.refuse('chat.startStream', 'feature_not_enabled');
    anthropic.enqueue({ deltas: ['Half of it'], fault: { kind: 'stall', afterDeltas: 1 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const recorded = first.logLine('reply on record');
    const showing = slack.waitFor('messageUpdated', (message) => markdownShown(message.content) === 'Half of it');
    slack.userMentions({ text: 'Tell me' });
    const [answer] = await Promise.all([showing, recorded]);
    await crash(first);

    const marked = slack.waitFor('messageUpdated', (message) => message.ts === answer.ts);
    await startedBot();
    expect((await marked).content.markdownText).toBe(`Half of it\n\n${RESTARTED}`);
  });

  it('posts the notice under the answer when Slack will not give its text back', async () => {
    const { slack, anthropic } = fixtures;
    slack.refuse('chat.startStream', 'feature_not_enabled');
    slack.refuse('conversations.replies', 'missing_scope');
    anthropic.enqueue({ deltas: ['Half of it'], fault: { kind: 'stall', afterDeltas: 1 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const recorded = first.logLine('reply on record');
    const showing = slack.waitFor('messageUpdated', (message) => markdownShown(message.content) === 'Half of it');
    const { message: question } = slack.userMentions({ text: 'Tell me' });
    const [answer] = await Promise.all([showing, recorded]);
    await crash(first);

    const notice = slack.waitFor('messagePosted', (message) => message.threadTs === question.ts);
    await startedBot();
    expect((await notice).content.markdownText).toBe(RESTARTED);
    expect(slack.textOf(answer.channel, answer.ts)).toBe('Half of it');
  });

  it('leaves Discord’s records to Discord’s sweep and Slack’s to Slack’s, in one process', async () => {
    const { slack, anthropic } = fixtures;
    const discord = await startFakeDiscord();
    try {
      const env = { DISCORD_TOKEN: 'test-discord-token', DISCORD_API_URL: discord.apiUrl };
      anthropic.enqueue(
        { deltas: ['Slack, cut off'], fault: { kind: 'stall', afterDeltas: 1 } },
        { deltas: ['Discord, cut off'], fault: { kind: 'stall', afterDeltas: 1 } },
      );
      const first = spawnBot(fixtures.botEnv({ ...env, LOG_LEVEL: 'debug' }));
      await Promise.all([first.logLine('connected to Slack'), first.logLine('connected to Discord')]);
      const slackAnswer = await askUntilShowing(first, 'Slack, cut off');
      const recorded = first.logLine('reply on record');
      const question = discord.userSays({ content: `<@${discord.botUser.id}> tell me` });
      const reply = await discord.waitFor(
        'messageUpdate',
        (message) => message.referencedMessageId === question.id && message.content === 'Discord, cut off',
      );
      await recorded;
      await crash(first);

      const slackMarked = slack.waitFor('messageUpdated', (message) => message.ts === slackAnswer.ts);
      const discordMarked = discord.waitFor('messageUpdate', (message) => message.id === reply.id);
      const second = spawnBot(fixtures.botEnv(env));
      expect((await slackMarked).content.markdownText).toBe(`Slack, cut off\n\n${RESTARTED}`);
      expect((await discordMarked).content).toBe(`Discord, cut off\n\n${notices.restarted}`);
      // Both sweeps are done once the process has drained.
      second.child.kill('SIGTERM');
      await second.exited;
      expect(discord.requests.filter((request) => request.path.includes('slack'))).toEqual([]);
      const slackCalls = slack.requests.filter((call) => JSON.stringify(call.params).includes(question.channelId));
      expect(slackCalls).toEqual([]);
      expect(slack.callsOf('chat.update')).toHaveLength(1);
    } finally {
      await discord.close();
    }
  });
});
