import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnswerCounts } from '../core/answer/answer-registry.js';
import type { Telemetry } from '../core/ports/telemetry.js';
import {
  MODEL_FAILURES,
  OUTCOMES,
  PLATFORM_ERRORS,
  REFUSALS,
  SLOT_KINDS,
  TOKEN_KINDS,
  WRITE_RESULTS,
  WRITES,
} from './metric-labels.js';

// The bot's Prometheus metrics: one registry per bot (never prom-client's global one), Node's default
// metrics, and the telemetry port's events as streamcord_* series in base units. Labels are kinds,
// outcomes and the platform (discord, slack), never a user, channel or guild: each platform's series
// exist at 0 from when the platform is composed (telemetryFor), so a rate is defined before the first
// event, and the set of series never grows after. A platform's writes and 429s have series of their
// own (streamcord_discord_*, streamcord_slack_*): what a write is and how it is limited differ.

export type MetricsPlatform = 'discord' | 'slack';

export interface Metrics {
  readonly registry: Registry;
  /** What one platform's core and adapter tell; it feeds that platform's series. */
  telemetryFor(platform: MetricsPlatform): Telemetry;
  /** Where one platform's answers-now gauges read, at each scrape (its answerer's registry). */
  countAnswers(platform: MetricsPlatform, counts: () => AnswerCounts): void;
}

export interface MetricsOptions {
  /** Labels on every series, e.g. the shard a process runs under the sharding manager. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

// Claude's first token comes in about a second; answers take seconds to minutes; a write waits
// nothing while its bucket has room and up to a window (5 s) or a 429's retry-after when it has not.
const TTFT_BUCKETS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30];
const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
const SLOT_WAIT_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels({ ...options.defaultLabels });
  collectDefaultMetrics({ register: registry });
  const counts = new Map<MetricsPlatform, () => AnswerCounts>();
  const series = defineSeries(registry, counts);
  const telemetries = new Map<MetricsPlatform, Telemetry>();
  return {
    registry,
    telemetryFor(platform) {
      const known = telemetries.get(platform);
      if (known) return known;
      startAtZero(series, platform);
      const telemetry = telemetryOf(series, platform);
      telemetries.set(platform, telemetry);
      return telemetry;
    },
    countAnswers(platform, source) {
      counts.set(platform, source);
    },
  };
}

type Series = ReturnType<typeof defineSeries>;

function defineSeries(registry: Registry, counts: ReadonlyMap<MetricsPlatform, () => AnswerCounts>) {
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  const histogram = (name: string, help: string, buckets: number[], labelNames: string[] = []) =>
    new Histogram({ name, help, buckets, labelNames, registers });
  const gauge = (name: string, help: string, read: (now: AnswerCounts) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['platform'],
      registers,
      collect() {
        for (const [platform, source] of counts) this.labels(platform).set(read(source()));
      },
    });
  return {
    answers: counter('streamcord_answers_total', 'Answers whose reply shows its end, by how they ended.', [
      'outcome',
      'platform',
    ]),
    ttft: histogram(
      'streamcord_time_to_first_token_seconds',
      "From the model request to the answer's first text.",
      TTFT_BUCKETS,
      ['platform'],
    ),
    duration: histogram(
      'streamcord_answer_duration_seconds',
      'From the model request to the reply showing the end.',
      DURATION_BUCKETS,
      ['platform'],
    ),
    tokens: counter(
      'streamcord_model_tokens_total',
      'Tokens Claude reported for the answers: input (not cached), output, cache_read, cache_write.',
      ['kind', 'platform'],
    ),
    searches: counter(
      'streamcord_web_searches_total',
      'Web searches Claude made for the answers (WEB_SEARCH=on); Anthropic bills each apart from tokens.',
      ['platform'],
    ),
    writes: counter(
      'streamcord_discord_writes_total',
      'Discord REST requests that write, by kind and result (each attempt of a retried request counts).',
      ['kind', 'result'],
    ),
    rateLimited: counter(
      'streamcord_discord_rate_limited_total',
      'HTTP 429 responses received from Discord (any request).',
    ),
    slackWrites: counter(
      'streamcord_slack_writes_total',
      'Slack Web API calls that write, by kind and result (each try of a retried call counts).',
      ['kind', 'result'],
    ),
    slackRateLimited: counter(
      'streamcord_slack_rate_limited_total',
      'HTTP 429 responses received from Slack (any Web API call).',
    ),
    slotWait: histogram(
      'streamcord_edit_slot_wait_seconds',
      'Time a write waited for its slot in the write budget of its rate-limit bucket, by write kind.',
      SLOT_WAIT_BUCKETS,
      ['kind', 'platform'],
    ),
    errors: counter(
      'streamcord_errors_total',
      "Errors by the core's type: model_<failure> for Claude, platform_<kind> for refused reply writes.",
      ['type', 'platform'],
    ),
    refusals: counter(
      'streamcord_admission_refusals_total',
      'Questions (and Regenerate, Continue) refused before any model call, by reason.',
      ['reason', 'platform'],
    ),
    streaming: gauge(
      'streamcord_answers_streaming',
      'Answers holding their channel now: streaming, or showing their end.',
      (now) => now.streaming,
    ),
    queued: gauge(
      'streamcord_answers_queued',
      'Answers waiting for their channel now (their placeholder is posted).',
      (now) => now.queued,
    ),
  };
}

function startAtZero(series: Series, platform: MetricsPlatform): void {
  const { writes, rateLimited } = platformWrites(series, platform);
  for (const outcome of OUTCOMES) series.answers.labels(outcome, platform).inc(0);
  series.ttft.zero({ platform });
  series.duration.zero({ platform });
  for (const kind of TOKEN_KINDS) series.tokens.labels(kind, platform).inc(0);
  series.searches.labels(platform).inc(0);
  for (const kind of WRITES) for (const result of WRITE_RESULTS) writes.labels(kind, result).inc(0);
  rateLimited.inc(0);
  for (const kind of SLOT_KINDS) series.slotWait.zero({ kind, platform });
  for (const failure of MODEL_FAILURES) series.errors.labels(`model_${failure}`, platform).inc(0);
  for (const kind of PLATFORM_ERRORS) series.errors.labels(`platform_${kind}`, platform).inc(0);
  for (const reason of REFUSALS) series.refusals.labels(reason, platform).inc(0);
}

// Each platform's writes and 429s have their own series.
function platformWrites(series: Series, platform: MetricsPlatform) {
  return platform === 'slack'
    ? { writes: series.slackWrites, rateLimited: series.slackRateLimited }
    : { writes: series.writes, rateLimited: series.rateLimited };
}

function telemetryOf(series: Series, platform: MetricsPlatform): Telemetry {
  const { answers, ttft, duration, tokens, searches, errors } = series;
  const { writes, rateLimited } = platformWrites(series, platform);
  return {
    answerEnded(answer) {
      answers.labels(answer.outcome, platform).inc();
      if (answer.ttftMs !== null) ttft.labels(platform).observe(answer.ttftMs / 1000);
      duration.labels(platform).observe(answer.durationMs / 1000);
      tokens.labels('input', platform).inc(answer.inputTokens ?? 0);
      tokens.labels('output', platform).inc(answer.outputTokens ?? 0);
      tokens.labels('cache_read', platform).inc(answer.cacheReadTokens ?? 0);
      tokens.labels('cache_write', platform).inc(answer.cacheCreationTokens ?? 0);
      searches.labels(platform).inc(answer.searches ?? 0);
      if (answer.failure !== null) errors.labels(`model_${answer.failure}`, platform).inc();
    },
    slotGranted: (kind, waitedMs) => series.slotWait.labels(kind, platform).observe(waitedMs / 1000),
    platformWrite: (kind, result) => writes.labels(kind, result).inc(),
    platformRateLimited: () => rateLimited.inc(),
    platformFailed: (kind) => errors.labels(`platform_${kind}`, platform).inc(),
    refused: (reason) => series.refusals.labels(reason, platform).inc(),
  };
}
