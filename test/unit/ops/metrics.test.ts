import { describe, expect, it } from 'vitest';
import type { AnswerFacts } from '../../../src/core/ports/telemetry.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import type { Metrics } from '../../../src/ops/metrics.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';
import type { Sample } from './prometheus-text.js';

const answer = (overrides: Partial<AnswerFacts> = {}): AnswerFacts => ({
  outcome: 'complete',
  failure: null,
  ttftMs: 800,
  durationMs: 4200,
  inputTokens: 100,
  outputTokens: 40,
  cacheReadTokens: 900,
  cacheCreationTokens: 25,
  searches: 2,
  ...overrides,
});

async function scrape(metrics: Metrics): Promise<Sample[]> {
  return parsePrometheusText(await metrics.registry.metrics());
}

describe('the Prometheus metrics', () => {
  it('counts answers by outcome, their tokens by kind, web searches and model failures by type', async () => {
    const metrics = createMetrics();
    metrics.telemetryFor('discord').answerEnded(answer());
    metrics.telemetryFor('discord').answerEnded(answer({ outputTokens: 2 }));
    metrics.telemetryFor('discord').answerEnded(
      answer({
        outcome: 'failed',
        failure: 'overloaded',
        ttftMs: null,
        inputTokens: null,
        outputTokens: null,
        searches: null,
      }),
    );

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_answers_total', { outcome: 'complete' })).toBe(2);
    expect(sampleValue(samples, 'streamcord_answers_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_answers_total', { outcome: 'stopped' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_model_tokens_total', { kind: 'input' })).toBe(200);
    expect(sampleValue(samples, 'streamcord_model_tokens_total', { kind: 'output' })).toBe(42);
    expect(sampleValue(samples, 'streamcord_model_tokens_total', { kind: 'cache_read' })).toBe(2700);
    expect(sampleValue(samples, 'streamcord_model_tokens_total', { kind: 'cache_write' })).toBe(75);
    expect(sampleValue(samples, 'streamcord_web_searches_total')).toBe(4);
    expect(sampleValue(samples, 'streamcord_errors_total', { type: 'model_overloaded' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_errors_total', { type: 'model_timeout' })).toBe(0);
  });

  it('observes time to first token and answer duration in seconds (no TTFT when no text came)', async () => {
    const metrics = createMetrics();
    metrics.telemetryFor('discord').answerEnded(answer({ ttftMs: 800, durationMs: 4200 }));
    metrics.telemetryFor('discord').answerEnded(answer({ ttftMs: null, durationMs: 30_000 }));

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_time_to_first_token_seconds_count')).toBe(1);
    expect(sampleValue(samples, 'streamcord_time_to_first_token_seconds_sum')).toBeCloseTo(0.8);
    expect(sampleValue(samples, 'streamcord_time_to_first_token_seconds_bucket', { le: '0.75' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_time_to_first_token_seconds_bucket', { le: '1' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_answer_duration_seconds_count')).toBe(2);
    expect(sampleValue(samples, 'streamcord_answer_duration_seconds_sum')).toBeCloseTo(34.2);
    expect(sampleValue(samples, 'streamcord_answer_duration_seconds_bucket', { le: '5' })).toBe(1);
  });

  it('counts Discord writes by kind and result, 429s, and slot waits by write kind', async () => {
    const metrics = createMetrics();
    const telemetry = metrics.telemetryFor('discord');
    telemetry.platformWrite('post', 'ok');
    telemetry.platformWrite('edit', 'ok');
    telemetry.platformWrite('edit', 'ok');
    telemetry.platformWrite('edit', 'rate_limited');
    telemetry.platformRateLimited();
    telemetry.slotGranted('edit', 1500);
    telemetry.slotGranted('final', 0);

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_discord_writes_total', { kind: 'post', result: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_discord_writes_total', { kind: 'edit', result: 'ok' })).toBe(2);
    expect(sampleValue(samples, 'streamcord_discord_writes_total', { kind: 'edit', result: 'rate_limited' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_discord_writes_total', { kind: 'delete', result: 'error' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_discord_rate_limited_total')).toBe(1);
    expect(sampleValue(samples, 'streamcord_edit_slot_wait_seconds_sum', { kind: 'edit' })).toBeCloseTo(1.5);
    expect(sampleValue(samples, 'streamcord_edit_slot_wait_seconds_count', { kind: 'final' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_edit_slot_wait_seconds_count', { kind: 'post' })).toBe(0);
  });

  it('counts refusals by reason and refused reply writes by error kind', async () => {
    const metrics = createMetrics();
    metrics.telemetryFor('discord').refused('not_allowed_blocked');
    metrics.telemetryFor('discord').refused('over_budget_guild');
    metrics.telemetryFor('discord').refused('over_budget_guild');
    metrics.telemetryFor('discord').platformFailed('forbidden');

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'not_allowed_blocked' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'over_budget_guild' })).toBe(2);
    expect(sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'queue_full' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_errors_total', { type: 'platform_forbidden' })).toBe(1);
  });

  it('reads the answers streaming and queued at each scrape', async () => {
    const metrics = createMetrics();
    let now = { queued: 3, streaming: 2 };
    metrics.countAnswers('discord', () => now);
    let samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_answers_streaming')).toBe(2);
    expect(sampleValue(samples, 'streamcord_answers_queued')).toBe(3);

    now = { queued: 0, streaming: 1 };
    samples = await scrape(metrics);
    expect(sampleValue(samples, 'streamcord_answers_streaming')).toBe(1);
    expect(sampleValue(samples, 'streamcord_answers_queued')).toBe(0);
  });

  it("has Node's default metrics, labels by kind only, and a registry of its own per bot", async () => {
    const first = createMetrics({ defaultLabels: { shard: '1' } });
    const second = createMetrics();
    second.telemetryFor('discord');
    first.telemetryFor('discord').refused('empty');

    const samples = await scrape(first);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    const ours = samples.filter((sample) => sample.name.startsWith('streamcord_'));
    expect(ours.every((sample) => sample.labels['shard'] === '1')).toBe(true);
    const labelNames = new Set(ours.flatMap((sample) => Object.keys(sample.labels)));
    expect([...labelNames].sort()).toEqual(['kind', 'le', 'outcome', 'platform', 'reason', 'result', 'shard', 'type']);
    expect(sampleValue(await scrape(second), 'streamcord_admission_refusals_total', { reason: 'empty' })).toBe(0);
  });

  it('labels answers by platform, and counts Slack’s writes and 429s in series of their own', async () => {
    const metrics = createMetrics();
    const discord = metrics.telemetryFor('discord');
    const slack = metrics.telemetryFor('slack');
    discord.answerEnded(answer());
    slack.answerEnded(answer());
    slack.answerEnded(answer({ outcome: 'stopped', ttftMs: null }));
    slack.platformWrite('edit', 'ok');
    slack.platformWrite('edit', 'rate_limited');
    slack.platformRateLimited();
    slack.slotGranted('final', 250);
    metrics.countAnswers('slack', () => ({ queued: 1, streaming: 2 }));

    const samples = await scrape(metrics);
    const on = (platform: string, labels: Record<string, string> = {}) => ({ ...labels, platform });
    expect(sampleValue(samples, 'streamcord_answers_total', on('discord', { outcome: 'complete' }))).toBe(1);
    expect(sampleValue(samples, 'streamcord_answers_total', on('slack', { outcome: 'complete' }))).toBe(1);
    expect(sampleValue(samples, 'streamcord_answers_total', on('slack', { outcome: 'stopped' }))).toBe(1);
    expect(sampleValue(samples, 'streamcord_time_to_first_token_seconds_count', on('slack'))).toBe(1);
    expect(sampleValue(samples, 'streamcord_model_tokens_total', on('slack', { kind: 'output' }))).toBe(80);
    expect(sampleValue(samples, 'streamcord_slack_writes_total', { kind: 'edit', result: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_slack_writes_total', { kind: 'edit', result: 'rate_limited' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_slack_rate_limited_total')).toBe(1);
    expect(sampleValue(samples, 'streamcord_discord_writes_total', { kind: 'edit', result: 'ok' })).toBe(0);
    expect(sampleValue(samples, 'streamcord_discord_rate_limited_total')).toBe(0);
    expect(sampleValue(samples, 'streamcord_edit_slot_wait_seconds_count', on('slack', { kind: 'final' }))).toBe(1);
    expect(sampleValue(samples, 'streamcord_answers_streaming', on('slack'))).toBe(2);
    expect(sampleValue(samples, 'streamcord_answers_queued', on('slack'))).toBe(1);
  });

  it('has series only for the platforms composed', async () => {
    const metrics = createMetrics();
    metrics.telemetryFor('discord');
    const samples = await scrape(metrics);
    const platforms = new Set(samples.flatMap((sample) => sample.labels['platform'] ?? []));
    expect([...platforms]).toEqual(['discord']);
    expect(samples.some((sample) => sample.name === 'streamcord_slack_writes_total')).toBe(false);
  });
});
