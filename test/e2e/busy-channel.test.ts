import { afterEach, describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/core/reply/split-message.js';
import type { AnthropicScript, RecordedAnthropicRequest } from '../fakes/fake-anthropic.js';
import type { StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Many questions at once in one channel: placeholders, follow-ups and edits all draw on the channel's
// one Discord bucket (creates and edits share it), and the bot must never be refused with a 429.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const LONG = 'long';

/** Each question gets its own answer, whatever order the channel's turns take. */
function answerTo(question: string): string {
  if (question === LONG) {
    return Array.from({ length: 160 }, (_, index) => `Line ${index} of the long answer goes on for a while.`).join(' ');
  }
  return `The answer to ${question}, streamed in a few quick deltas.`;
}

function lastQuestion(request: RecordedAnthropicRequest): string {
  const content = request.body.messages.at(-1)?.content;
  return typeof content === 'string' ? content : '';
}

const quickAnswers = (request: RecordedAnthropicRequest): AnthropicScript => {
  const text = answerTo(lastQuestion(request));
  return { text, chunkSize: text.length > 2000 ? 200 : 8, delayMs: 2 };
};

/** Asks every question at once in the first channel and waits for every answer to end. */
async function askAtOnce(questions: readonly string[]): Promise<StoredMessage[]> {
  const asked = questions.map((text) => harness.discord.userSays({ content: harness.mention(text) }));
  const reports = await harness.answered(questions.length);
  expect(reports.map((report) => report.outcome)).toEqual(questions.map(() => 'complete'));
  return asked;
}

/** The bot's messages in the channel, in the order they were posted. */
function botMessages(channelId: string): StoredMessage[] {
  const { discord } = harness;
  return [...discord.messages.values()].filter(
    (message) => message.channelId === channelId && message.authorId === discord.botUser.id && !message.deleted,
  );
}

describe('many questions at once in one channel', () => {
  it("answers 5 in full with Discord's usual 5 writes per 5 s and gets no 429", async () => {
    harness = await startHarness({
      discord: { buckets: { channelMessages: { limit: 5, windowMs: 5000 } } },
      anthropic: { defaultScript: quickAnswers },
    });
    const questions = ['q0', 'q1', 'q2', 'q3', 'q4'];

    const asked = await askAtOnce(questions);

    expect(asked.map((question) => harness.replyMessages(question).map((message) => message.content))).toEqual(
      questions.map((question) => [answerTo(question)]),
    );
    expect(botMessages(harness.discord.channelId(0))).toHaveLength(5);
    expect(harness.discord.rateLimitCount).toBe(0);
  }, 40_000);

  it('answers 10 in full and gets no 429', async () => {
    // Ten at once: nine wait, more than the default queue cap (MAX_QUEUED_PER_CHANNEL=5) lets in.
    harness = await startHarness({ env: { MAX_QUEUED_PER_CHANNEL: '9' }, anthropic: { defaultScript: quickAnswers } });
    const questions = Array.from({ length: 10 }, (_, index) => `question ${index}`);

    const asked = await askAtOnce(questions);

    expect(asked.map((question) => harness.replyMessages(question).map((message) => message.content))).toEqual(
      questions.map((question) => [answerTo(question)]),
    );
    expect(harness.discord.rateLimitCount).toBe(0);
  }, 40_000);

  it('continues a long answer in follow-ups among short ones, and gets no 429', async () => {
    harness = await startHarness({ anthropic: { defaultScript: quickAnswers } });
    const questions = ['first', LONG, 'third', 'fourth', 'fifth'];
    const pieces = splitMessage(answerTo(LONG));
    expect(pieces.length).toBeGreaterThanOrEqual(3);

    const asked = await askAtOnce(questions);

    // Every reply shows its whole answer; the long one's first piece, the rest in its follow-ups.
    expect(asked.map((question) => harness.replyMessages(question)[0]?.content)).toEqual(
      questions.map((question) => (question === LONG ? pieces[0] : answerTo(question))),
    );
    const followUps = botMessages(harness.discord.channelId(0)).filter(
      (message) => message.referencedMessageId === undefined,
    );
    expect(followUps.map((message) => message.content)).toEqual(pieces.slice(1));
    expect(harness.discord.rateLimitCount).toBe(0);
  }, 40_000);
});
