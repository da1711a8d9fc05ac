import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EnvelopeType } from './types.js';

/** Where the app listens for Slack's HTTP requests (Events API / slash commands / interactivity). */
export interface HttpEventsTarget {
  /** e.g. `http://127.0.0.1:<port>/slack/events` (Bolt's default path). */
  readonly url: string;
  readonly signingSecret: string;
}

export interface HttpRetry {
  readonly attempt: number;
  readonly reason: string;
}

export interface HttpAnswer {
  readonly status: number;
  /** The response body, parsed when it is JSON; `{ text }` otherwise, `{}` when empty. */
  readonly body: Record<string, unknown>;
}

/**
 * Slack's request signing: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's
 * signing secret, the timestamp in `X-Slack-Request-Timestamp` (seconds).
 */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * The body as Slack sends each kind over HTTP: events as JSON, slash commands as form fields,
 * interactivity as a form with one `payload` field holding JSON.
 */
function encode(type: EnvelopeType, payload: Record<string, unknown>): { body: string; contentType: string } {
  if (type === 'events_api') return { body: JSON.stringify(payload), contentType: 'application/json' };
  const form = new URLSearchParams();
  if (type === 'interactive') form.set('payload', JSON.stringify(payload));
  else for (const [key, value] of Object.entries(payload)) form.set(key, String(value));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** POSTs one signed request to the app; a retry carries `X-Slack-Retry-Num` / `-Reason`. */
export async function deliverOverHttp(
  target: HttpEventsTarget,
  type: EnvelopeType,
  payload: Record<string, unknown>,
  retry: HttpRetry | undefined,
): Promise<HttpAnswer & { readonly elapsedMs: number }> {
  const started = performance.now();
  const { body, contentType } = encode(type, payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(target.signingSecret, timestamp, body),
      ...(retry === undefined
        ? {}
        : { 'X-Slack-Retry-Num': String(retry.attempt), 'X-Slack-Retry-Reason': retry.reason }),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: parseAnswer(text), elapsedMs: performance.now() - started };
}

function parseAnswer(text: string): Record<string, unknown> {
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { text };
  } catch {
    return { text };
  }
}
