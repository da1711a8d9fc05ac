import { once } from 'node:events';
import { Events, REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/fake-discord.js';
import { PLACEHOLDER } from '../../src/core/user-text.js';
import { parsePrometheusText, sampleValue } from '../unit/ops/prometheus-text.js';
import type { Sample } from '../unit/ops/prometheus-text.js';
import { startHarness } from './harness.js';
import type { Harness, HarnessOptions } from './harness.js';

// /healthz, /readyz and /metrics of the real bot (real discord.js, real Anthropic SDK, loopback fakes),
// scraped while it works: the counters move by exactly what the fakes saw happen.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness({ ...options, env: { METRICS_PORT: '0' } });
  return harness;
}

function metricsUrl(): string {
  const url = harness.bot.metricsUrl;
  if (url === undefined) throw new Error('the bot serves no metrics');
  return url;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${metricsUrl()}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

async function probe(path: '/healthz' | '/readyz'): Promise<{ status: number; body: string }> {
  const response = await fetch(`${metricsUrl()}${path}`);
  return { status: response.status, body: await response.text() };
}

/** How much each sample of `after` grew since `before`, by name and labels. */
function delta(before: readonly Sample[], after: readonly Sample[]) {
  return (name: string, labels: Record<string, string> = {}) =>
    sampleValue(after, name, labels) - sampleValue(before, name, labels);
}

/** The sum of every series of `name`, e.g. every refusal reason. */
function total(samples: readonly Sample[], name: string): number {
  return samples.filter((sample) => sample.name === name).reduce((sum, sample) => sum + sample.value, 0);
}

const resultOf = (request: RecordedRequest) =>
  request.status === 429 ? 'rate_limited' : request.status < 300 ? 'ok' : 'error';

const FIRST = { text: 'First answer, streamed slowly. '.repeat(8), chunkSize: 6, delayMs: 25, ttftMs: 100 };
const USAGE = [
  { inputTokens: 120, outputTokens: 55, cacheReadTokens: 30, cacheCreationTokens: 7 },
  { inputTokens: 200, outputTokens: 66, cacheReadTokens: 0, cacheCreationTokens: 9 },
];

describe('health and metrics of a running bot', () => {
  it('are up once the bot has started: healthy, ready, and every series at its start', async () => {
    await start();
    expect(metricsUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await probe('/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await probe('/readyz')).toEqual({ status: 200, body: '{"ready":true,"reasons":[]}\n' });
    const samples = await scrape();
    expect(sampleValue(samples, 'streamcord_answers_total', { outcome: 'complete' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_answers_streaming')).toBe(0);
    expect((await fetch(`${metricsUrl()}/other`)).status).toBe(404);
  });

  it('counts exactly what happened: answers, tokens, writes, waits, a refusal, and the answers running now', async () => {
    const { discord, anthropic } = await start();
    const [usageA, usageB] = USAGE;
    anthropic.enqueue({ ...FIRST, ...usageA }, { text: 'Second answer.', chunkSize: 4, delayMs: 5, ...usageB });
    const before = await scrape();
    const firstRequest = discord.requests.length;

    // Two questions in one channel: the second waits for the first, its placeholder already posted.
    const first = discord.userSays({ content: harness.mention('first question') });
    const firstStreaming = anthropic.waitFor('firstDelta', (mark) => mark.index === 0);
    const secondPosted = discord.waitFor(
      'messageCreate',
      (message) => message.content === PLACEHOLDER && message.referencedMessageId !== first.id,
    );
    discord.userSays({ content: harness.mention('second question') });
    await Promise.all([firstStreaming, secondPosted]);
    const during = await scrape();
    expect(sampleValue(during, 'streamcord_answers_streaming')).toBe(1);
    expect(sampleValue(during, 'streamcord_answers_queued')).toBe(1);

    // A mention with nothing to ask, in another channel: refused, with a hint.
    const hint = discord.waitFor('messageCreate', (message) => message.channelId === discord.channelId(1));
    discord.userSays({ channelId: discord.channelId(1), content: harness.mention('') });
    await hint;
    await harness.answered(2);

    const after = await scrape();
    const grew = delta(before, after);
    expect(grew('streamcord_answers_total', { outcome: 'complete' })).toBe(2);
    expect(total(after, 'streamcord_answers_total') - total(before, 'streamcord_answers_total')).toBe(2);
    expect(grew('streamcord_time_to_first_token_seconds_count')).toBe(2);
    expect(grew('streamcord_time_to_first_token_seconds_sum')).toBeGreaterThanOrEqual(0.1);
    expect(grew('streamcord_answer_duration_seconds_count')).toBe(2);
    const reportedSeconds = harness.reports.reduce((sum, report) => sum + report.durationMs, 0) / 1000;
    expect(grew('streamcord_answer_duration_seconds_sum')).toBeCloseTo(reportedSeconds, 1);
    expect(grew('streamcord_model_tokens_total', { kind: 'input' })).toBe(320);
    expect(grew('streamcord_model_tokens_total', { kind: 'output' })).toBe(121);
    expect(grew('streamcord_model_tokens_total', { kind: 'cache_read' })).toBe(30);
    expect(grew('streamcord_model_tokens_total', { kind: 'cache_write' })).toBe(16);
    expect(grew('streamcord_admission_refusals_total', { reason: 'empty' })).toBe(1);
    expect(
      total(after, 'streamcord_admission_refusals_total') - total(before, 'streamcord_admission_refusals_total'),
    ).toBe(1);
    expect(total(after, 'streamcord_errors_total')).toBe(0);
    expect(sampleValue(after, 'streamcord_answers_streaming')).toBe(0);
    expect(sampleValue(after, 'streamcord_answers_queued')).toBe(0);

    // Every write Discord answered, as the fake recorded it: two placeholders and the hint, the edits.
    const requests = discord.requests.slice(firstRequest);
    const seen = (method: string, result: string) =>
      requests.filter((request) => request.method === method && resultOf(request) === result).length;
    for (const result of ['ok', 'rate_limited', 'error']) {
      expect(grew('streamcord_discord_writes_total', { kind: 'post', result })).toBe(seen('POST', result));
      expect(grew('streamcord_discord_writes_total', { kind: 'edit', result })).toBe(seen('PATCH', result));
      expect(grew('streamcord_discord_writes_total', { kind: 'delete', result })).toBe(seen('DELETE', result));
    }
    expect(seen('POST', 'ok')).toBe(3);
    expect(seen('PATCH', 'ok')).toBeGreaterThanOrEqual(3);
    expect(grew('streamcord_discord_rate_limited_total')).toBe(requests.filter((r) => r.status === 429).length);
    // Each post and each edit took one slot of its channel's budget: the final edits one each answer.
    expect(grew('streamcord_edit_slot_wait_seconds_count', { kind: 'post' })).toBe(3);
    expect(grew('streamcord_edit_slot_wait_seconds_count', { kind: 'final' })).toBe(2);
    expect(
      grew('streamcord_edit_slot_wait_seconds_count', { kind: 'edit' }) +
        grew('streamcord_edit_slot_wait_seconds_count', { kind: 'final' }),
    ).toBe(seen('PATCH', 'ok'));
  });

  it('counts the 429s Discord sends, as the fake counted them', async () => {
    // A window long enough that the bot's post surely lands in the one spent before it.
    const { discord, anthropic } = await start({
      discord: { buckets: { channelMessages: { limit: 5, windowMs: 3000 } } },
    });
    anthropic.enqueue({ text: 'An answer after a wait.', chunkSize: 5, delayMs: 5 });
    const before = await scrape();
    // Someone else (another process of the bot) spends the channel's window just before the bot posts.
    const elsewhere = new REST({ api: discord.apiUrl }).setToken('test-discord-token');
    const channelId = discord.channelId(2);
    for (let i = 0; i < 5; i += 1)
      await elsewhere.post(Routes.channelMessages(channelId), { body: { content: `${i}` } });
    const spent = discord.rateLimitCount;
    discord.userSays({ channelId, content: harness.mention('a question') });
    await harness.answered(1);

    const grew = delta(before, await scrape());
    expect(discord.rateLimitCount - spent).toBeGreaterThanOrEqual(1);
    expect(grew('streamcord_discord_rate_limited_total')).toBe(discord.rateLimitCount - spent);
    expect(grew('streamcord_discord_writes_total', { kind: 'post', result: 'rate_limited' })).toBeGreaterThanOrEqual(1);
  });

  it('goes unready while the gateway is down and ready again once discord.js has reconnected', async () => {
    const { discord } = await start();
    const { client } = harness.bot;
    if (client === undefined) throw new Error('the harness runs Discord');
    expect((await probe('/readyz')).status).toBe(200);

    discord.holdGateway();
    const reconnecting = once(client, Events.ShardReconnecting);
    discord.dropSession(0);
    await reconnecting;

    expect(await probe('/readyz')).toEqual({
      status: 503,
      body: '{"ready":false,"reasons":["shard 0: connecting"]}\n',
    });
    // Liveness is not readiness: the process itself is fine.
    expect((await probe('/healthz')).status).toBe(200);

    const ready = once(client, Events.ShardReady);
    discord.releaseGateway();
    await ready;
    expect(await probe('/readyz')).toEqual({ status: 200, body: '{"ready":true,"reasons":[]}\n' });
  });
});
