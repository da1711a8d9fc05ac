import { randomBytes } from 'node:crypto';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { pdf, png } from '../fakes/sample-files.js';
import { EMPTY_MENTION_HINT, attachmentNotice } from '../../src/core/user-text.js';
import type { FakeUser, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// End to end: files sent with a mention reach Claude as image, document and text blocks through the
// real discord.js client, the bot's fetcher and the real Anthropic SDK; what cannot go gets its
// one-line notice in the reply, and the rest of the question still goes.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const alice: FakeUser = { id: '200000000000000007', username: 'alice' };

type Block = { type: string; [key: string]: unknown };

function userContent(index: number, message = 0): string | Block[] | undefined {
  return harness.anthropic.requests[index]?.body.messages[message]?.content;
}

function replyOf(question: StoredMessage): string | undefined {
  return harness.replyMessages(question).at(-1)?.content;
}

describe('files sent with a question', () => {
  it('sends an image and a PDF as image and document blocks with the bytes served, then the text', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const [image, document] = [png(), pdf()];
    anthropic.enqueue({ text: 'A cat, and a report.' });

    const question = discord.userSays({
      content: harness.mention('what are these?'),
      attachments: [
        { filename: 'cat.png', contentType: 'image/png', data: image },
        { filename: 'report.pdf', contentType: 'application/pdf', data: document },
      ],
    });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: document.toString('base64') },
        title: 'report.pdf',
      },
      { type: 'text', text: 'what are these?' },
    ]);
    expect(replyOf(question)).toBe('A cat, and a report.');
    expect(discord.cdnRequests.map((request) => request.filename).sort()).toEqual(['cat.png', 'report.pdf']);
  });

  it('sends a text file as a text block that names it', async () => {
    harness = await startHarness();
    const { discord } = harness;
    const source = 'export const answer = 42;\n// ünïcödé\n';

    discord.userSays({
      content: harness.mention('review this'),
      // Discord calls a .ts file an MPEG transport stream; the extension says what it is.
      attachments: [{ filename: 'answer.ts', contentType: 'video/mp2t', data: source }],
    });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      { type: 'text', text: `[file: answer.ts]\n${source}` },
      { type: 'text', text: 'review this' },
    ]);
  });

  it('answers a mention that is only an image', async () => {
    harness = await startHarness();
    const image = png();

    harness.discord.userSays({
      content: harness.mention(''),
      attachments: [{ filename: 'screenshot.png', contentType: 'image/png', data: image }],
    });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
    ]);
  });
});

describe('files that cannot go', () => {
  it('never downloads a file Discord says is over MAX_ATTACHMENT_BYTES, says so, and asks the rest', async () => {
    harness = await startHarness({ env: { MAX_ATTACHMENT_BYTES: '100000' } });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Here is my answer.' });

    const question = discord.userSays({
      content: harness.mention('summarize'),
      attachments: [
        { filename: 'huge.pdf', contentType: 'application/pdf', data: pdf(), size: 250_000 },
        { filename: 'notes.txt', contentType: 'text/plain; charset=utf-8', data: 'short notes' },
      ],
    });
    await harness.answered(1);

    expect(discord.cdnRequests.map((request) => request.filename)).toEqual(['notes.txt']);
    expect(userContent(0)).toEqual([
      { type: 'text', text: '[file: notes.txt]\nshort notes' },
      { type: 'text', text: 'summarize' },
    ]);
    const notice = attachmentNotice({ kind: 'too_large', name: 'huge.pdf', size: 250_000, limit: 100_000 });
    expect(replyOf(question)).toBe(`Here is my answer.\n\n${notice}`);
  });

  it('tells which files are unsupported, unreadable or past MAX_ATTACHMENTS, and sends the others', async () => {
    harness = await startHarness({ env: { MAX_ATTACHMENTS: '2' } });
    const { discord, anthropic } = harness;
    const image = png();
    anthropic.enqueue({ text: 'Done.' });

    const question = discord.userSays({
      content: harness.mention('look'),
      attachments: [
        { filename: 'setup.exe', contentType: 'application/x-msdownload', data: randomBytes(500) },
        { filename: 'latin1.txt', contentType: 'text/plain', data: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
        { filename: 'one.png', contentType: 'image/png', data: image },
        { filename: 'two.png', contentType: 'image/png', data: png() },
      ],
    });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
      { type: 'text', text: 'look' },
    ]);
    // Neither the unsupported file nor the one past the count was downloaded.
    expect(discord.cdnRequests.map((request) => request.filename).sort()).toEqual(['latin1.txt', 'one.png']);
    const notices = [
      attachmentNotice({ kind: 'unsupported', name: 'setup.exe' }),
      attachmentNotice({ kind: 'unreadable', name: 'latin1.txt', as: 'text' }),
      attachmentNotice({ kind: 'too_many', names: ['two.png'], max: 2 }),
    ];
    expect(replyOf(question)).toBe(`Done.\n\n${notices.join('\n')}`);
  });

  it('leaves a stalled download out after the timeout and answers the text', async () => {
    harness = await startHarness({ attachmentTimeoutMs: 300 });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Answered without it.' });

    const question = discord.userSays({
      content: harness.mention('and this log?'),
      attachments: [{ filename: 'server.log', contentType: 'text/plain', data: 'x'.repeat(10_000), serve: 'stall' }],
    });
    const [report] = await harness.answered(1);

    expect(userContent(0)).toBe('and this log?');
    const notice = attachmentNotice({ kind: 'download_failed', name: 'server.log', failure: 'timeout' });
    expect(replyOf(question)).toBe(`Answered without it.\n\n${notice}`);
    expect(report?.outcome).toBe('complete');
  });

  it('makes no model call when a question is only files and none could be read', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;

    const question = discord.userSays({
      content: harness.mention(''),
      attachments: [{ filename: 'gone.png', contentType: 'image/png', data: png(), serve: 'missing' }],
    });
    const [report] = await harness.answered(1);

    expect(anthropic.requests).toHaveLength(0);
    const notice = attachmentNotice({ kind: 'download_failed', name: 'gone.png', failure: 'http_status', status: 404 });
    expect(replyOf(question)).toBe(`${EMPTY_MENTION_HINT}\n\n${notice}`);
    expect(report).toMatchObject({ outcome: 'empty', model: null });
  });
});

describe('files in the conversation', () => {
  it('remembers a marker with the file name, not the bytes, for follow-ups', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'A red square.' }, { text: 'Red.' });

    discord.userSays({
      content: harness.mention('what is this?'),
      attachments: [{ filename: 'photo.png', contentType: 'image/png', data: png() }],
    });
    await harness.answered(1);
    discord.userSays({ content: harness.mention('what colour was it?') });
    await harness.answered(2);

    expect(anthropic.requests[1]?.body.messages).toEqual([
      { role: 'user', content: '[attached: photo.png]\nwhat is this?' },
      { role: 'assistant', content: 'A red square.' },
      { role: 'user', content: 'what colour was it?' },
    ]);
  });

  it('includes the files of the message a question replies to', async () => {
    harness = await startHarness();
    const { discord } = harness;
    const image = png();

    const shared = discord.userSays({
      author: alice,
      mentionBot: false,
      content: 'look what I found',
      attachments: [{ filename: 'found.png', contentType: 'image/png', data: image }],
    });
    discord.userSays({ content: harness.mention('what is in this picture?'), replyTo: shared.id });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
      { type: 'text', text: 'what is in this picture?' },
    ]);
  });
});

describe('files in a thread', () => {
  it('opens a thread named after the image for a mention that is only an image, and the image reaches Claude', async () => {
    harness = await startHarness({ env: { THREADS: 'auto' } });
    const { discord } = harness;
    const image = png();

    const opened = discord.waitFor('threadCreate');
    discord.userSays({
      content: harness.mention(''),
      attachments: [{ filename: 'chart.png', contentType: 'image/png', data: image }],
    });
    const thread = await opened;
    await harness.answered(1);

    expect(thread.name).toBe('chart.png');
    expect(userContent(0)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.toString('base64') } },
    ]);
  });
});

describe('/ask with a file', () => {
  it('sends the file picked for the file option with the prompt, and the conversation keeps its marker', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    const document = pdf();
    anthropic.enqueue({ text: 'It is a report.' });

    const file = discord.uploadForCommand({ filename: 'q3.pdf', contentType: 'application/pdf', data: document });
    const interaction = discord.runCommand({
      name: 'ask',
      options: [
        { name: 'prompt', type: ApplicationCommandOptionType.String, value: 'summarize this' },
        { name: 'file', type: ApplicationCommandOptionType.Attachment, value: file.id },
      ],
    });
    await harness.answered(1);

    expect(userContent(0)).toEqual([
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: document.toString('base64') },
        title: 'q3.pdf',
      },
      { type: 'text', text: 'summarize this' },
    ]);
    expect(discord.interactionMessages(interaction.id)[0]?.content).toBe('It is a report.');
    discord.userSays({ content: harness.mention('shorter?') });
    await harness.answered(2);
    expect(userContent(1)).toBe('[attached: q3.pdf]\nsummarize this');
  });
});
