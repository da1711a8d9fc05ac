import { beforeEach, describe, expect, it } from 'vitest';
import { png } from '../fakes/sample-files.js';
import { EMPTY_MENTION_HINT, attachmentNotice } from '../../src/core/user-text.js';
import { slackMarkdown } from '../../src/platforms/slack/slack-text.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeSlack } from '../fakes/fake-slack.js';
import { spawnBot } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';

// Files shared with a Slack question reach Claude as they do from Discord: the bot downloads them
// from Slack's file URL with its token (the fake serves them as Slack does, and its sign-in page to
// anyone without the token), through the one trusted fetcher; what cannot go gets its line.

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

function userContent(index: number): unknown {
  return anthropic.requests[index]?.body.messages.at(-1)?.content;
}

describe('files shared with a Slack question', () => {
  it('sends an image shared with a mention as an image block, downloaded with the bot token', async () => {
    anthropic.enqueue({ text: 'A small picture.' });
    await startedBot();
    const image = png();
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({
      text: 'What is this?',
      files: [{ name: 'cat.png', mimetype: 'image/png', bytes: image, width: 64, height: 48 }],
    });
    const answer = await stopped;

    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
      { type: 'text', text: 'What is this?' },
    ]);
    expect(slack.fileDownloads.map((download) => download.authorized)).toEqual([true]);
    expect(answer.content.markdownText).toBe('A small picture.');
  });

  it('answers a DM that only shares a text file (a file_share message)', async () => {
    anthropic.enqueue({ text: 'Three lines.' });
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const { message: question } = slack.userDMs({
      text: '',
      files: [{ name: 'notes.md', mimetype: 'text/markdown', bytes: Buffer.from('one\ntwo\nthree') }],
    });
    const answer = await stopped;

    expect(answer.threadTs).toBe(question.ts);
    expect(userContent(0)).toEqual([{ type: 'text', text: '[file: notes.md]\none\ntwo\nthree' }]);
    expect(answer.content.markdownText).toBe('Three lines.');
  });

  it('never downloads a file Slack says is over MAX_ATTACHMENT_BYTES, says so, and asks the rest', async () => {
    anthropic.enqueue({ text: 'Here is my answer.' });
    await startedBot({ MAX_ATTACHMENT_BYTES: '100000' });
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({
      text: 'summarize',
      files: [
        { name: 'huge.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.7\n'), size: 250_000 },
        { name: 'notes.txt', mimetype: 'text/plain', bytes: Buffer.from('short notes') },
      ],
    });
    const answer = await stopped;

    expect(slack.fileDownloads).toHaveLength(1);
    expect(userContent(0)).toEqual([
      { type: 'text', text: '[file: notes.txt]\nshort notes' },
      { type: 'text', text: 'summarize' },
    ]);
    const notice = attachmentNotice({ kind: 'too_large', name: 'huge.pdf', size: 250_000, limit: 100_000 });
    expect(answer.content.markdownText).toBe(slackMarkdown(`Here is my answer.\n\n${notice}`));
  });

  it('tells that the app may not read files, and makes no model call for a question of files alone', async () => {
    slack.denyFileDownloads();
    await startedBot();
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({ text: '', files: [{ name: 'cat.png', mimetype: 'image/png', bytes: png() }] });
    const answer = await stopped;

    expect(anthropic.requests).toHaveLength(0);
    const notice = attachmentNotice({ kind: 'download_failed', name: 'cat.png', failure: 'forbidden' });
    expect(answer.content.markdownText).toBe(slackMarkdown(`${EMPTY_MENTION_HINT}\n\n${notice}`));
  });
});
