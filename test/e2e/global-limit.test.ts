import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicScript, RecordedAnthropicRequest } from '../fakes/fake-anthropic.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Many channels streaming at once: each keeps within its own channel's budget, but together they
// would send far more than Discord's global limit allows the bot per second. The fake's global limit
// is lowered to 20 a second (and the bot told so) so that a dozen channels are a crowd.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const CHANNELS = 12;
const GLOBAL_PER_SECOND = 20;

function answerTo(question: string): string {
  return Array.from({ length: 40 }, (_, index) => `${question}, part ${index}.`).join(' ');
}

function lastQuestion(request: RecordedAnthropicRequest): string {
  const content = request.body.messages.at(-1)?.content;
  return typeof content === 'string' ? content : '';
}

// About 2 s of stream per answer: each channel alone would edit its reply several times a second.
const streamed = (request: RecordedAnthropicRequest): AnthropicScript => {
  const text = answerTo(lastQuestion(request));
  return { text, chunkSize: 6, delayMs: 15 };
};

async function startCrowd(): Promise<Harness> {
  return startHarness({
    discord: { channels: CHANNELS, globalLimitPerSecond: GLOBAL_PER_SECOND },
    anthropic: { defaultScript: streamed },
    // No command sync at start-up: the only request before the questions is discord.js's gateway lookup.
    env: { DISCORD_GLOBAL_REQUESTS_PER_SECOND: String(GLOBAL_PER_SECOND), SYNC_COMMANDS: 'false' },
  });
}

/** One question in every channel at once; every answer complete, showing exactly its text, no 429. */
async function everyChannelAsksAndGetsItsAnswer(): Promise<void> {
  const { discord } = harness;
  const questions = Array.from({ length: CHANNELS }, (_, index) => `question ${index}`);

  const asked = questions.map((text, index) =>
    discord.userSays({ channelId: discord.channelId(index), content: harness.mention(text) }),
  );
  const reports = await harness.answered(CHANNELS);

  expect(reports.map((report) => report.outcome)).toEqual(questions.map(() => 'complete'));
  expect(asked.map((question) => harness.replyMessages(question).map((message) => message.content))).toEqual(
    questions.map((question) => [answerTo(question)]),
  );
  // Replies were edited as they streamed, not only posted and finished (placeholders and final edits
  // go first; intermediate edits take the turns left).
  const writes = discord.requests.filter((request) => request.method === 'POST' || request.method === 'PATCH');
  expect(writes.length).toBeGreaterThan(2 * CHANNELS);
  expect(discord.requests.filter((request) => request.status === 429)).toEqual([]);
  expect(discord.rateLimitCount).toBe(0);
}

describe("Discord's global limit", () => {
  it('is never exceeded when a dozen channels stream at once: no 429, every final text exact', async () => {
    harness = await startCrowd();
    await everyChannelAsksAndGetsItsAnswer();
  }, 60_000);

  it('leaves room for a request the bot did not send itself (another process of the same bot)', async () => {
    harness = await startCrowd();
    // Another process of the same bot (a second shard, a command deploy) uses the same global limit:
    // its request falls in the window the bot is about to fill, and the bot's discord.js, which
    // counts only its own requests, would fill that window to the limit.
    const elsewhere = new REST({ api: harness.discord.apiUrl }).setToken('test-discord-token');
    await elsewhere.get(Routes.user());
    await everyChannelAsksAndGetsItsAnswer();
  }, 60_000);
});
