import { afterEach, describe, expect, it } from 'vitest';
import { scopeKey } from '../../src/core/settings/settings-scopes.js';
import type { FakeDiscord, FakeUser, RecordedRequest } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// The log an operator reads: one line per answer with what to look it up by and what it cost, one per
// refused or failed question with why; never the words of either. Real discord.js and the real
// Anthropic SDK against the loopback fakes, the log captured as the bot writes it (JSON, masked).

const QUESTION = 'question-words-5d1c';
const PICKED_MODEL = 'claude-picked-by-config';
const carol: FakeUser = { id: '200000000000000003', username: 'carol' };
// Requests of "another process" of the bot, which use up a channel's window behind our client's back.
const OTHER_PROCESS = 'x-other-process';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const parse = (lines: readonly string[]) => lines.map((line) => JSON.parse(line) as LogLine);
const hasMessage = (message: string) => (line: string) => (JSON.parse(line) as LogLine).msg === message;

/** Posts in `channelId` with the bot's token, but not through the bot: as another of its processes would. */
async function postElsewhere(discord: FakeDiscord, channelId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const response = await fetch(`${discord.apiUrl}/v10/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bot test-discord-token', 'content-type': 'application/json', [OTHER_PROCESS]: '1' },
      body: JSON.stringify({ content: 'from another process' }),
    });
    expect(response.status).toBe(200);
  }
}

const fromBot = (request: RecordedRequest) => request.requestHeaders[OTHER_PROCESS] === undefined;

describe('the answer’s log line', () => {
  it('carries the ids, the model used, the request id, tokens, times, edits, the 429s met and the outcome', async () => {
    const lines: string[] = [];
    harness = await startHarness({ logLines: lines, env: { ALLOWED_MODELS: PICKED_MODEL } });
    const { discord, anthropic } = harness;
    const channelId = discord.channelId(0);
    // The channel's admins picked another model with /config.
    await harness.bot.storage.settings.update(scopeKey.channel(channelId), () => ({ model: PICKED_MODEL }));
    const usage = { inputTokens: 321, cacheReadTokens: 40, cacheCreationTokens: 7, outputTokens: 55 };
    anthropic.enqueue({ text: 'word '.repeat(60).trim(), chunkSize: 12, delayMs: 20, ttftMs: 400, ...usage });

    const placeholderPosted = discord.waitFor(
      'request',
      (request) => request.method === 'POST' && request.channelId === channelId && request.status === 200,
    );
    const question = discord.userSays({ channelId, content: harness.mention(QUESTION) });
    // While Claude has not answered yet, another process takes what is left of the channel's window:
    // the bot's first edit meets a 429 that it could not see coming.
    const placeholder = await placeholderPosted;
    await postElsewhere(discord, channelId, Number(placeholder.headers['X-RateLimit-Remaining']));
    await harness.answered(1);
    const line = parse(lines).find((logged) => logged.msg === 'answer finished');

    const replyId = harness.replyMessages(question)[0]?.id ?? '';
    const editsLanded = discord.requests.filter(
      (request) => request.method === 'PATCH' && request.path.endsWith(`/${replyId}`) && request.status === 200,
    );
    const botRateLimited = discord.requests.filter((request) => request.status === 429 && fromBot(request));
    expect(botRateLimited.length).toBeGreaterThanOrEqual(1);
    expect(anthropic.requests[0]?.body.model).toBe(PICKED_MODEL);
    expect(line).toMatchObject({
      level: 30,
      guildId: discord.guildId,
      channelId,
      answerId: question.id,
      model: PICKED_MODEL,
      requestId: anthropic.requests[0]?.requestId,
      outcome: 'complete',
      stopReason: 'end_turn',
      failure: null,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheCreationTokens: usage.cacheCreationTokens,
      edits: editsLanded.length,
      rateLimited: botRateLimited.length,
    });
    expect(line?.ttftMs).toBeGreaterThanOrEqual(400);
    expect(line?.durationMs).toBeGreaterThan(line?.ttftMs as number);
    expect(lines.filter(hasMessage('answer finished'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(QUESTION);
    expect(lines.join('\n')).not.toContain('word word');
  });

  it('follows a failed model call’s line, both with the failure and the request id', async () => {
    const lines: string[] = [];
    harness = await startHarness({ logLines: lines });
    const { discord, anthropic } = harness;
    anthropic.enqueue({ fault: { kind: 'http-error', status: 529, type: 'overloaded_error' } });
    const question = discord.userSays({ content: harness.mention(QUESTION) });
    await harness.answered(1);
    const logged = parse(lines);
    const requestId = anthropic.requests[0]?.requestId;
    const where = { guildId: discord.guildId, channelId: question.channelId, answerId: question.id };
    expect(logged.filter((line) => line.msg === 'model call failed')).toEqual([
      expect.objectContaining({ level: 40, ...where, reason: 'overloaded', requestId }),
    ]);
    expect(logged.find((line) => line.msg === 'answer finished')).toMatchObject({
      ...where,
      outcome: 'failed',
      failure: 'overloaded',
      requestId,
    });
  });
});

describe('a refused question’s log line', () => {
  it('says where and why, at info while the person is told, at debug when they are not told again', async () => {
    const lines: string[] = [];
    harness = await startHarness({ logLines: lines, env: { BLOCKED_USER_IDS: carol.id } });
    const { discord } = harness;
    const channelId = discord.channelId(0);
    const told = discord.waitFor('messageCreate', (message) => message.authorId === discord.botUser.id);
    discord.userSays({ channelId, author: carol, content: harness.mention(QUESTION) });
    await told;
    discord.userSays({ channelId, author: carol, content: harness.mention(QUESTION) });
    discord.userSays({ channelId, content: harness.mention('') });
    const refusedLines = () => lines.filter(hasMessage('question refused'));
    await harness.logged(() => refusedLines().length === 3);

    const refused = parse(refusedLines());
    const where = { guildId: discord.guildId, channelId };
    expect(refused.filter((line) => line.reason === 'not-allowed')).toEqual([
      expect.objectContaining({ level: 30, ...where, access: 'blocked' }),
      expect.objectContaining({ level: 20, ...where, access: 'blocked' }),
    ]);
    expect(refused.filter((line) => line.reason === 'empty')).toEqual([
      expect.objectContaining({ level: 30, ...where }),
    ]);
    expect(lines.join('\n')).not.toContain(QUESTION);
    expect(harness.anthropic.requests).toEqual([]);
  });
});
