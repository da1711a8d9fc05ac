import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { markdownShown } from '../fakes/fake-slack.js';
import type { FakeSlack, RecordedApiCall } from '../fakes/fake-slack.js';
import { parsePrometheusText, sampleValue } from '../unit/ops/prometheus-text.js';
import { spawnBot } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';
import type { BotProcess } from './bot-process.js';

// Slack's 429s reach the core's write budget instead of being retried inside the WebClient: the
// bot waits the Retry-After, then sends the newest text (not the refused, stale one), and the answer
// still ends with exactly Claude's text. The bot runs as a process against the loopback fakes, as in
// slack-answers.test.ts; times are the fake's own records of when calls arrived and were answered.

const fixtures = slackProcessFixtures();
let slack: FakeSlack;
let anthropic: FakeAnthropic;

beforeEach(() => {
  ({ slack, anthropic } = fixtures);
});

function spawnSlackBot(extra: Record<string, string> = {}): BotProcess {
  return spawnBot(fixtures.botEnv(extra));
}

async function startedBot(): Promise<BotProcess> {
  const bot = spawnSlackBot();
  await bot.logLine('connected to Slack');
  return bot;
}

// Arrives over about half a second: all of it is in before a 1-second Retry-After has passed.
const ANSWER = ['Streams ', 'arrive ', 'in ', 'pieces, ', 'appended ', 'as ', 'they ', 'come.'];
const RETRY_AFTER_S = 1;
// The fake and the bot read different clocks; a timer may also fire a millisecond early.
const CLOCK_SLACK_MS = 5;

// What a call writes: its markdown_text, or its markdown block (a message with buttons is blocks).
const markdownOf = (call: RecordedApiCall | undefined): string => {
  const text = call?.params['markdown_text'];
  if (typeof text === 'string') return text;
  const blocks = call?.params['blocks'];
  return markdownShown({ text: undefined, markdownText: undefined, blocks: Array.isArray(blocks) ? blocks : [] }) ?? '';
};

/** The one 429 of `methods`, and the first of their calls after it. */
function aroundThe429(methods: readonly string[]): { refused: RecordedApiCall; next: RecordedApiCall | undefined } {
  const calls = slack.requests.filter((call) => methods.includes(call.method));
  const index = calls.findIndex((call) => call.status === 429);
  const refused = calls[index];
  if (refused === undefined) throw new Error(`no 429 among ${methods.join(', ')}`);
  expect(refused.retryAfter).toBe(RETRY_AFTER_S);
  return { refused, next: calls[index + 1] };
}

describe('Slack rate limits', () => {
  it('waits out a 429 on chat.appendStream, then appends the newest text; the answer ends with exactly Claude’s', async () => {
    slack.rateLimit('chat.appendStream', { retryAfterSeconds: RETRY_AFTER_S });
    anthropic.enqueue({ deltas: ANSWER, delayMs: 60 });
    const bot = await startedBot();
    const stopped = slack.waitFor('streamStopped');
    const finished = bot.logLine('answer finished');
    const { message: question } = slack.userMentions({ text: 'How do answers arrive?' });
    const answer = await stopped;
    // The answer's log line counts the 429 its writes met.
    expect((await finished)['rateLimited']).toBe(1);

    expect(answer.threadTs).toBe(question.ts);
    expect(answer.content.markdownText).toBe(ANSWER.join(''));
    const { refused, next } = aroundThe429(['chat.appendStream', 'chat.stopStream']);
    // Nothing more to the stream until the Retry-After had passed…
    expect(next).toBeDefined();
    expect((next?.at ?? 0) - refused.respondedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - CLOCK_SLACK_MS);
    // …and then not the refused append sent again, but everything the stream had not shown yet.
    expect(markdownOf(next).startsWith(markdownOf(refused))).toBe(true);
    expect(markdownOf(next).length).toBeGreaterThan(markdownOf(refused).length);
  });

  it('waits out a 429 on chat.update in the post-and-update fallback, then shows the newest text', async () => {
    slack.refuse('chat.startStream', 'feature_not_enabled');
    slack.rateLimit('chat.update', { retryAfterSeconds: RETRY_AFTER_S });
    anthropic.enqueue({ deltas: ANSWER, delayMs: 60 });
    const bot = await startedBot();
    const finished = bot.logLine('answer finished');
    slack.userMentions({ text: 'And without streaming?' });
    await finished;

    const [posted] = slack.callsOf('chat.postMessage');
    const ts = String((posted?.response['ts'] as string | undefined) ?? '');
    expect(slack.textOf(posted?.params['channel'] as string, ts)).toBe(ANSWER.join(''));
    const { refused, next } = aroundThe429(['chat.update']);
    expect(next).toBeDefined();
    expect((next?.at ?? 0) - refused.respondedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - CLOCK_SLACK_MS);
    // Latest wins: the text the 429 refused is not sent again once newer text is there.
    expect(markdownOf(next)).not.toBe(markdownOf(refused));
  });

  it('counts Slack answers under platform="slack", and Slack’s writes and 429s', async () => {
    slack.rateLimit('chat.appendStream', { retryAfterSeconds: RETRY_AFTER_S });
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 });
    const bot = spawnSlackBot({ METRICS_PORT: '0' });
    const serving = bot.logLine('serving /healthz, /readyz and /metrics');
    await bot.logLine('connected to Slack');
    const url = String((await serving)['url']);
    const finished = bot.logLine('answer finished');
    slack.userMentions({ text: 'Count me' });
    await finished;

    const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    const slackAnswers = { platform: 'slack' };
    expect(sampleValue(samples, 'streamcord_answers_total', { ...slackAnswers, outcome: 'complete' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_answer_duration_seconds_count', slackAnswers)).toBe(1);
    expect(samples.some((sample) => sample.labels['platform'] === 'discord')).toBe(false);
    const seen = (methods: readonly string[], status: number) =>
      slack.requests.filter((call) => methods.includes(call.method) && call.status === status).length;
    const edits = ['chat.appendStream', 'chat.stopStream'];
    expect(sampleValue(samples, 'streamcord_slack_writes_total', { kind: 'post', result: 'ok' })).toBe(
      // The streams, and the Stop button message beside each.
      seen(['chat.startStream', 'chat.postMessage'], 200),
    );
    expect(sampleValue(samples, 'streamcord_slack_writes_total', { kind: 'edit', result: 'ok' })).toBe(
      seen(edits, 200),
    );
    expect(sampleValue(samples, 'streamcord_slack_writes_total', { kind: 'edit', result: 'rate_limited' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_slack_rate_limited_total')).toBe(1);
  });
});
