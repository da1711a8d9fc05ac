import Anthropic from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitText, startFakeAnthropic } from './fake-anthropic.js';
import type { FakeAnthropic } from './fake-anthropic.js';

const PARAMS = {
  model: 'claude-fake-1',
  max_tokens: 256,
  system: 'You answer in one line.',
  messages: [
    { role: 'user', content: 'Say hello' },
    { role: 'assistant', content: 'Hello?' },
    { role: 'user', content: [{ type: 'text', text: 'Louder, please.' }] },
  ],
} satisfies Anthropic.MessageStreamParams;

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

function clientFor(target: FakeAnthropic, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: target.url, maxRetries });
}

/** Records `text` events as the bot would see them. */
function collectText(stream: MessageStream): { deltas: string[]; snapshots: string[] } {
  const seen = { deltas: [] as string[], snapshots: [] as string[] };
  stream.on('text', (delta, snapshot) => {
    seen.deltas.push(delta);
    seen.snapshots.push(snapshot);
  });
  return seen;
}

/** The rejection reason; fails the test if the promise fulfils instead. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** SSE event names in wire order, after checking that every frame is exactly `event:` + `data:`. */
function eventNames(body: string): string[] {
  const frames = body.split('\n\n');
  expect(frames.pop()).toBe('');
  return frames.map((frame) => {
    const match = /^event: (\w+)\ndata: (\{.*\})$/.exec(frame);
    expect(match, frame).not.toBeNull();
    const [, name = '', data = '{}'] = match ?? [];
    expect((JSON.parse(data) as { type: string }).type).toBe(name);
    return name;
  });
}

describe('fake Anthropic Messages API, driven by the real SDK', () => {
  it('streams a scripted text: growing snapshots, exact final message and usage', async () => {
    const text = 'Streaming 🦊 answers, one edit at a time.';
    fake.enqueue({ text, chunkSize: 4, inputTokens: 42 });

    const stream = clientFor(fake).messages.stream(PARAMS);
    const seen = collectText(stream);
    const message = await stream.finalMessage();

    expect(seen.deltas.join('')).toBe(text);
    expect(seen.deltas).toEqual(splitText(text, 4));
    expect(seen.deltas.some((delta) => /[\uD800-\uDBFF]$/.test(delta))).toBe(false);
    seen.snapshots.forEach((snapshot, i) => expect(snapshot).toBe(seen.deltas.slice(0, i + 1).join('')));
    expect(seen.snapshots.at(-1)).toBe(text);

    expect(message.id).toMatch(/^msg_/);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: PARAMS.model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      usage: {
        input_tokens: 42,
        output_tokens: seen.deltas.length,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(stream.request_id).toMatch(/^req_fake_/);

    const first = await fake.waitFor('firstDelta', (e) => e.index === 0);
    const stop = await fake.waitFor('messageStop', (e) => e.index === 0);
    expect(first.at).toBeLessThanOrEqual(stop.at);
  });

  it('reports a max_tokens stop reason and the scripted output tokens', async () => {
    fake.enqueue({ text: 'This answer was cut sh', stopReason: 'max_tokens', outputTokens: 256 });

    const message = await clientFor(fake).messages.stream(PARAMS).finalMessage();

    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(256);
    expect(message.content).toEqual([{ type: 'text', text: 'This answer was cut sh' }]);
  });

  it('reports scripted prompt-cache tokens', async () => {
    fake.enqueue({ text: 'Cached.', inputTokens: 7, cacheReadTokens: 1203, cacheCreationTokens: 37 });

    const message = await clientFor(fake).messages.stream(PARAMS).finalMessage();

    expect(message.usage).toMatchObject({
      input_tokens: 7,
      cache_read_input_tokens: 1203,
      cache_creation_input_tokens: 37,
    });
  });

  it('turns a mid-stream error event into a base APIError without status, after the partial text', async () => {
    fake.enqueue({ text: 'abcdefghijklmnop', chunkSize: 4, fault: { kind: 'error-event', afterDeltas: 2 } });

    const stream = clientFor(fake, 2).messages.stream(PARAMS);
    const seen = collectText(stream);
    const error = await rejectionOf(stream.finalMessage());

    expect(seen.deltas).toEqual(['abcd', 'efgh']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).not.toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({ status: undefined, type: 'overloaded_error' });
    // Mid-stream errors are not retried, even with retries left.
    expect(fake.requests).toHaveLength(1);
  });

  it('answers 529 before the stream: OverloadedError without retries, success after one retry', async () => {
    const overloaded = { kind: 'http-error', status: 529, type: 'overloaded_error', retryAfterMs: 1 } as const;
    fake.enqueue({ fault: overloaded });

    const error = await rejectionOf(clientFor(fake, 0).messages.stream(PARAMS).finalMessage());

    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      requestID: expect.stringMatching(/^req_fake_/) as unknown,
    });
    expect(fake.requests).toHaveLength(1);

    fake.enqueue({ fault: overloaded, repeat: 1 }, { text: 'Recovered.' });
    const text = await clientFor(fake, 1).messages.stream(PARAMS).finalText();

    expect(text).toBe('Recovered.');
    expect(fake.requests).toHaveLength(3);
    expect(fake.queued).toBe(0);
  });

  it('answers several SDK attempts with one script through `repeat`', async () => {
    const limited = { kind: 'http-error', status: 429, type: 'rate_limit_error', retryAfterMs: 1 } as const;
    fake.enqueue({ fault: limited, repeat: 2 });

    const error = await rejectionOf(clientFor(fake, 1).messages.stream(PARAMS).finalMessage());

    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(fake.requests).toHaveLength(2);
    expect(fake.queued).toBe(0);
  });

  it('keeps a stalled stream open until the client aborts, and sees the connection close', async () => {
    fake.enqueue({ text: 'abcdefgh', chunkSize: 4, fault: { kind: 'stall', afterDeltas: 1 } });
    const stream = clientFor(fake).messages.stream(PARAMS);
    const outcome = rejectionOf(stream.finalMessage());

    await stream.emitted('text');
    const closed = fake.waitFor('clientClosed', (e) => e.index === 0);
    stream.abort();

    await expect(closed).resolves.toMatchObject({ index: 0, completed: false, cutByServer: false });
    expect(await outcome).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(stream.aborted).toBe(true);
  });

  it('cuts the connection mid-stream: finalMessage rejects with a non-API AnthropicError', async () => {
    fake.enqueue({ text: 'abcdefghijklmnop', chunkSize: 4, fault: { kind: 'cut', afterDeltas: 2 } });

    const stream = clientFor(fake, 2).messages.stream(PARAMS);
    const seen = collectText(stream);
    const error = await rejectionOf(stream.finalMessage());

    expect(seen.deltas).toEqual(['abcd', 'efgh']);
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect(error).not.toBeInstanceOf(Anthropic.APIError);
    await expect(fake.waitFor('clientClosed')).resolves.toMatchObject({ completed: false, cutByServer: true });
    // A body that breaks after the headers is not retried either.
    expect(fake.requests).toHaveLength(1);
  });

  it('records the request body and headers', async () => {
    await clientFor(fake).messages.stream(PARAMS).done();

    const request = await fake.waitFor('request');
    expect(fake.requests).toEqual([request]);
    expect(request.index).toBe(0);
    expect(request.body).toMatchObject({ ...PARAMS, stream: true });
    expect(request.headers.authorization).toBe('Bearer test-key');
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('writes the exact SSE wire format', async () => {
    fake.enqueue({ deltas: ['a', 'b', 'c', 'd'], pingEveryDeltas: 2 });

    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ ...PARAMS, stream: true }),
    });

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('request-id')).toMatch(/^req_fake_/);
    expect(eventNames(await response.text())).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'ping',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('streams 1000 back-to-back deltas', async () => {
    const text = 'x'.repeat(999) + '!';
    fake.enqueue({ text, chunkSize: 1 });

    const stream = clientFor(fake).messages.stream(PARAMS);
    const seen = collectText(stream);

    expect(await stream.finalText()).toBe(text);
    expect(seen.deltas).toHaveLength(1000);
  });

  it('waits ttftMs before the first delta and delayMs between deltas', async () => {
    fake.enqueue({ deltas: ['a', 'b', 'c'], ttftMs: 40, delayMs: 15 });

    await clientFor(fake).messages.stream(PARAMS).done();

    const request = await fake.waitFor('request');
    const first = await fake.waitFor('firstDelta');
    const stop = await fake.waitFor('messageStop');
    // A timer may fire up to a millisecond early against performance.now().
    expect(first.at - request.at).toBeGreaterThanOrEqual(39);
    expect(stop.at - first.at).toBeGreaterThanOrEqual(2 * 15 - 2);
  });

  it('answers non-stream requests and count_tokens consistently', async () => {
    const client = clientFor(fake);
    const message = await client.messages.create(PARAMS);
    const counted = await client.messages.countTokens({
      model: PARAMS.model,
      system: PARAMS.system,
      messages: PARAMS.messages,
    });

    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
    expect(fake.requests).toHaveLength(1);
  });

  it('answers unknown routes with 404 and the API error shape', async () => {
    const response = await fetch(`${fake.url}/v1/complete`, { method: 'POST', headers: { 'x-api-key': 'k' } });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
      request_id: expect.stringMatching(/^req_fake_/) as unknown,
    });
  });

  it('uses a default script function when the queue is empty', async () => {
    const echo = await startFakeAnthropic({ defaultScript: (req) => ({ text: `request ${req.index}` }) });
    try {
      const client = clientFor(echo);
      expect(await client.messages.stream(PARAMS).finalText()).toBe('request 0');
      expect(await client.messages.stream(PARAMS).finalText()).toBe('request 1');
    } finally {
      await echo.close();
    }
  });

  it('closes promptly with a stalled stream still open', async () => {
    fake.enqueue({ fault: { kind: 'stall', afterDeltas: 1 } });
    const stream = clientFor(fake).messages.stream(PARAMS);
    const outcome = rejectionOf(stream.finalMessage());
    await stream.emitted('text');

    await fake.close();

    expect(await outcome).toBeInstanceOf(Anthropic.AnthropicError);
    await expect(fake.waitFor('clientClosed')).resolves.toMatchObject({ completed: false });
  });
});
