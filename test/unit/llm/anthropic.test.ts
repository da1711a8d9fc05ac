import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/ports/model.js';
import type { ModelFailure, TokenUsage } from '../../../src/core/ports/model.js';
import { createAnthropicModel, toModelError } from '../../../src/llm/anthropic.js';
import { startFakeAnthropic } from '../../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../../fakes/fake-anthropic.js';

// The SDK's real error classes, built the way it builds them from a response: APIError.generate picks
// the class by HTTP status; a mid-stream `event: error` is a bare APIError with no status. The request
// ids come from the real SDK against the loopback fake, which sends a request-id header like the API.

const USAGE: TokenUsage = { inputTokens: 12, outputTokens: 3, cacheReadTokens: 0, cacheCreationTokens: 0 };
const headers = new Headers({ 'request-id': 'req_123' });

function fromStatus(status: number, type: string): Error {
  return Anthropic.APIError.generate(
    status,
    { type: 'error', error: { type, message: `${type} happened` } },
    undefined,
    headers,
  );
}

type ErrorType = NonNullable<InstanceType<typeof Anthropic.APIError>['type']>;

function midStream(type: ErrorType): Error {
  return new Anthropic.APIError(
    undefined,
    { type: 'error', error: { type, message: 'mid-stream' } },
    undefined,
    headers,
    type,
  );
}

function failureOf(error: unknown): ModelFailure {
  return toModelError(error, USAGE).failure;
}

describe('toModelError classifies the SDK’s errors by class', () => {
  it.each<[string, Error, ModelFailure]>([
    ['400', fromStatus(400, 'invalid_request_error'), 'invalid_request'],
    ['401', fromStatus(401, 'authentication_error'), 'authentication'],
    ['402', fromStatus(402, 'billing_error'), 'billing'],
    ['403', fromStatus(403, 'permission_error'), 'permission'],
    ['404', fromStatus(404, 'not_found_error'), 'not_found'],
    ['429', fromStatus(429, 'rate_limit_error'), 'rate_limited'],
    ['500', fromStatus(500, 'api_error'), 'server'],
    ['529 overloaded', fromStatus(529, 'overloaded_error'), 'overloaded'],
    ['user abort', new Anthropic.APIUserAbortError(), 'aborted'],
    ['connection timeout', new Anthropic.APIConnectionTimeoutError(), 'timeout'],
    ['connection', new Anthropic.APIConnectionError({ cause: new TypeError('fetch failed') }), 'connection'],
  ])('%s', (_, error, expected) => {
    expect(failureOf(error)).toBe(expected);
  });

  it('tells a 529 from other server errors although OverloadedError is an InternalServerError', () => {
    const overloaded = fromStatus(529, 'overloaded_error');
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect(failureOf(overloaded)).toBe('overloaded');
    expect(failureOf(fromStatus(503, 'api_error'))).toBe('server');
  });
});

describe('toModelError classifies a mid-stream error by its body’s type', () => {
  it.each<[ErrorType, ModelFailure]>([
    ['overloaded_error', 'overloaded'],
    ['rate_limit_error', 'rate_limited'],
    ['api_error', 'server'],
    ['timeout_error', 'timeout'],
    ['authentication_error', 'authentication'],
    ['billing_error', 'billing'],
    // A type this SDK version does not know yet still arrives as a string.
    ['something_new' as ErrorType, 'unknown'],
  ])('%s', (type, expected) => {
    const error = midStream(type);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
    expect(failureOf(error)).toBe(expected);
  });
});

describe('toModelError for errors that are not an API response', () => {
  it('calls a stream cut before message_stop (a plain AnthropicError) stream_cut', () => {
    expect(failureOf(new Anthropic.AnthropicError('stream ended without producing a Message'))).toBe('stream_cut');
  });

  it('calls anything else unknown', () => {
    expect(failureOf(new TypeError('boom'))).toBe('unknown');
    expect(failureOf('a string')).toBe('unknown');
  });

  it('keeps the message, the cause and a copy of the usage so far', () => {
    const original = fromStatus(529, 'overloaded_error');
    const usage = { ...USAGE };
    const error = toModelError(original, usage);
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe(original.message);
    expect(error.cause).toBe(original);
    usage.outputTokens = 99;
    expect(error.usage).toEqual(USAGE);
  });
});

describe('the request id and the model of a call', () => {
  let fake: FakeAnthropic;
  const handlers = { onText: () => {}, onActivity: () => {} };
  const request = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 100 };

  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(async () => {
    await fake.close();
  });

  const model = () =>
    createAnthropicModel({ apiKey: 'k', baseURL: fake.url, model: 'claude-default', maxRetries: 0, timeoutMs: 5000 });
  const streamed = () => model().stream(request, handlers, new AbortController().signal);
  const failed = async (): Promise<ModelError> => {
    const error: unknown = await streamed().then(
      () => null,
      (reason: unknown) => reason,
    );
    if (!(error instanceof ModelError)) throw new Error(`expected a ModelError, got ${String(error)}`);
    return error;
  };

  it('come with a complete answer: the request-id header Anthropic sent, the model it named', async () => {
    const result = await streamed();
    expect(result.requestId).toBe(fake.requests[0]?.requestId);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.model).toBe('claude-default');
  });

  it('name the model a channel picked instead of the default', async () => {
    const result = await model().stream({ ...request, model: 'claude-picked' }, handlers, new AbortController().signal);
    expect(fake.requests[0]?.body.model).toBe('claude-picked');
    expect(result.model).toBe('claude-picked');
  });

  it('come with an error response (the SDK’s APIError.requestID)', async () => {
    fake.enqueue({ fault: { kind: 'http-error', status: 529, type: 'overloaded_error' } });
    const error = await failed();
    expect(error.failure).toBe('overloaded');
    expect(error.requestId).toBe(fake.requests[0]?.requestId);
    expect(error.model).toBe('claude-default');
  });

  it('come with an error event in the middle of a stream, and with a stream that was cut', async () => {
    fake.enqueue(
      { text: 'some words here', fault: { kind: 'error-event', afterDeltas: 1, type: 'overloaded_error' } },
      { text: 'some words here', fault: { kind: 'cut', afterDeltas: 1 } },
    );
    const midStream = await failed();
    const cut = await failed();
    expect([midStream.failure, cut.failure]).toEqual(['overloaded', 'stream_cut']);
    expect(midStream.requestId).toBe(fake.requests[0]?.requestId);
    expect(cut.requestId).toBe(fake.requests[1]?.requestId);
  });
});
