import Anthropic from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitText, startFakeAnthropic } from './fake-anthropic.js';
import type { AnthropicScript, FakeAnthropic } from './fake-anthropic.js';

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

  it('records count_tokens requests apart, and refuses a body a messages request could not have', async () => {
    const client = clientFor(fake);
    const counted = {
      model: PARAMS.model,
      messages: PARAMS.messages,
      tools: [{ name: 'web_search', type: 'web_search_20250305' }],
    };
    await client.messages.countTokens(counted as Anthropic.MessageCountTokensParams);
    const error = await rejectionOf(
      client.messages.countTokens({
        ...counted,
        thinking: { type: 'enabled', budget_tokens: 10 },
      } as Anthropic.MessageCountTokensParams),
    );

    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(fake.requests).toHaveLength(0);
    expect(fake.countTokensRequests).toMatchObject([
      { body: counted, headers: { 'content-type': 'application/json' } },
      { rejected: 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024' },
    ]);
    expect(fake.countTokensRequests[0]?.rejected).toBeUndefined();
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

describe('fake Anthropic Claude-native content, driven by the real SDK', () => {
  const SEARCH_ID = 'srvtoolu_01fake';
  const RESULTS = [
    { url: 'https://example.com/a', title: 'Page A', encryptedContent: 'encA', pageAge: 'April 1, 2026' },
    { url: 'https://example.com/b', title: 'Page B', encryptedContent: 'encB' },
  ];
  const CITATION = { url: 'https://example.com/a', title: 'Page A', citedText: 'A says so.', encryptedIndex: 'idxA' };
  const NATIVE_SCRIPT: AnthropicScript = {
    blocks: [
      { thinking: 'Let me think about 🦊 foxes.', signature: 'sig-123', chunkSize: 5 },
      { search: { query: 'fox facts', id: SEARCH_ID, results: RESULTS, inputChunkSize: 6 } },
      { text: 'Foxes are quick.', citations: [CITATION], chunkSize: 6 },
      { text: ' That is all.' },
    ],
    stopReason: 'pause_turn',
  };
  const WIRE_CITATION = {
    type: 'web_search_result_location',
    url: 'https://example.com/a',
    title: 'Page A',
    encrypted_index: 'idxA',
    cited_text: 'A says so.',
  };
  const NATIVE_CONTENT = [
    { type: 'thinking', thinking: 'Let me think about 🦊 foxes.', signature: 'sig-123' },
    {
      type: 'server_tool_use',
      id: SEARCH_ID,
      name: 'web_search',
      input: { query: 'fox facts' },
      caller: { type: 'direct' },
    },
    {
      type: 'web_search_tool_result',
      tool_use_id: SEARCH_ID,
      caller: { type: 'direct' },
      content: [
        {
          type: 'web_search_result',
          url: 'https://example.com/a',
          title: 'Page A',
          encrypted_content: 'encA',
          page_age: 'April 1, 2026',
        },
        {
          type: 'web_search_result',
          url: 'https://example.com/b',
          title: 'Page B',
          encrypted_content: 'encB',
          page_age: null,
        },
      ],
    },
    { type: 'text', text: 'Foxes are quick.', citations: [WIRE_CITATION] },
    { type: 'text', text: ' That is all.' },
  ];

  it('streams thinking, a web search and cited text that finalMessage accumulates exactly', async () => {
    fake.enqueue(NATIVE_SCRIPT);

    const stream = clientFor(fake).messages.stream(PARAMS);
    const log: string[] = [];
    const thinking: string[] = [];
    const json: { partial: string; snapshot: unknown }[] = [];
    stream.on('thinking', (delta) => thinking.push(delta) && log.push('thinking'));
    stream.on('signature', (signature) => log.push(`signature ${signature}`));
    stream.on('inputJson', (partial, snapshot) => json.push({ partial, snapshot }) && log.push('inputJson'));
    stream.on('citation', (citation, all) => log.push(`citation ${all.length} ${citation.cited_text}`));
    stream.on('text', () => log.push('text'));
    stream.on('contentBlock', (block) => log.push(`block ${block.type}`));
    const message = await stream.finalMessage();

    expect(message.content).toEqual(NATIVE_CONTENT);
    expect(message.stop_reason).toBe('pause_turn');
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
    expect(thinking).toEqual(splitText('Let me think about 🦊 foxes.', 5));
    expect(json.map((j) => j.partial).join('')).toBe('{"query":"fox facts"}');
    expect(json.every((j) => j.partial.length <= 6)).toBe(true);
    expect(json.at(-1)?.snapshot).toEqual({ query: 'fox facts' });
    // Each kind of delta arrives inside its own block, blocks in script order, citations before text.
    const collapsed = log.filter((entry, i) => entry !== log[i - 1]);
    expect(collapsed).toEqual([
      'thinking',
      'signature sig-123',
      'block thinking',
      'inputJson',
      'block server_tool_use',
      'block web_search_tool_result',
      'citation 1 A says so.',
      'text',
      'block text',
      'text',
      'block text',
    ]);
    // Every delta counts as output, whatever its kind: 6 thinking + 1 signature + 4 json + 1 + 3 + 4 text.
    expect(message.usage.output_tokens).toBe(19);
  });

  it('writes each block with its own index, start and stop, and usage in message_delta', async () => {
    fake.enqueue({ ...NATIVE_SCRIPT, initialPing: false });

    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ ...PARAMS, stream: true }),
    });
    const body = await response.text();
    eventNames(body);
    const events = body
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as Record<string, unknown>);
    const shape = events.map((e) => {
      const delta = e.delta as { type?: string } | undefined;
      const block = e.content_block as { type: string } | undefined;
      if (e.type === 'content_block_start') return `start ${String(e.index)} ${block?.type ?? ''}`;
      if (e.type === 'content_block_delta') return `${String(e.index)} ${delta?.type ?? ''}`;
      if (e.type === 'content_block_stop') return `stop ${String(e.index)}`;
      return String(e.type);
    });

    expect(shape.filter((entry, i) => entry !== shape[i - 1])).toEqual([
      'message_start',
      'start 0 thinking',
      '0 thinking_delta',
      '0 signature_delta',
      'stop 0',
      'start 1 server_tool_use',
      '1 input_json_delta',
      'stop 1',
      'start 2 web_search_tool_result',
      'stop 2',
      'start 3 text',
      '3 citations_delta',
      '3 text_delta',
      'stop 3',
      'start 4 text',
      '4 text_delta',
      'stop 4',
      'message_delta',
      'message_stop',
    ]);
    expect(events[1]).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    expect(events.find((e) => e.type === 'content_block_start' && e.index === 1)).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: {
        type: 'server_tool_use',
        id: SEARCH_ID,
        name: 'web_search',
        input: {},
        caller: { type: 'direct' },
      },
    });
    expect(events.find((e) => e.type === 'content_block_start' && e.index === 2)).toEqual({
      type: 'content_block_start',
      index: 2,
      content_block: NATIVE_CONTENT[2],
    });
    expect(events.find((e) => (e.delta as { type?: string } | undefined)?.type === 'citations_delta')).toEqual({
      type: 'content_block_delta',
      index: 3,
      delta: { type: 'citations_delta', citation: WIRE_CITATION },
    });
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'pause_turn', stop_sequence: null, stop_details: null },
      usage: { output_tokens: 19, server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 } },
    });
  });

  it('streams redacted thinking, a search error, a paused search without result, and each stop reason', async () => {
    fake.enqueue(
      {
        blocks: [
          { redactedThinking: 'opaque-bytes' },
          { search: { query: 'one', errorCode: 'max_uses_exceeded' } },
          { search: { query: 'two' } },
        ],
        stopReason: 'pause_turn',
        webSearchRequests: 2,
      },
      { blocks: [{ text: 'I cannot help with that.' }], stopReason: 'refusal' },
      { blocks: [{ thinking: 'long' }], stopReason: 'model_context_window_exceeded' },
    );
    const client = clientFor(fake);

    const paused = await client.messages.stream(PARAMS).finalMessage();
    const refused = await client.messages.stream(PARAMS).finalMessage();
    const exceeded = await client.messages.stream(PARAMS).finalMessage();

    const [redacted, firstUse, failed, secondUse, extra] = paused.content;
    expect(redacted).toEqual({ type: 'redacted_thinking', data: 'opaque-bytes' });
    expect(firstUse).toMatchObject({ type: 'server_tool_use', id: expect.stringMatching(/^srvtoolu_/) as unknown });
    expect(failed).toEqual({
      type: 'web_search_tool_result',
      tool_use_id: firstUse?.type === 'server_tool_use' ? firstUse.id : 'missing',
      caller: { type: 'direct' },
      content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
    });
    expect(secondUse).toMatchObject({ type: 'server_tool_use', input: { query: 'two' } });
    expect(extra).toBeUndefined();
    expect(paused).toMatchObject({ stop_reason: 'pause_turn', usage: { server_tool_use: { web_search_requests: 2 } } });
    expect(refused.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.usage.server_tool_use ?? null).toBeNull();
    expect(exceeded.stop_reason).toBe('model_context_window_exceeded');
    expect(exceeded.content).toEqual([
      { type: 'thinking', thinking: 'long', signature: expect.any(String) as unknown },
    ]);
  });

  it('streams a web fetch: its tool use, a web_fetch_tool_result with the page as a document, and its count', async () => {
    const url = 'https://example.com/post';
    fake.enqueue({
      blocks: [
        {
          search: {
            query: '',
            name: 'web_fetch',
            id: 'srvtoolu_f',
            input: { url },
            results: [{ url, title: 'A post', text: 'Hello.' }],
          },
        },
        { search: { query: '', name: 'web_fetch', id: 'srvtoolu_g', input: { url }, errorCode: 'url_not_accessible' } },
      ],
    });

    const message = await clientFor(fake).messages.stream(PARAMS).finalMessage();

    const caller = { type: 'direct' };
    expect(message.content).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_f', name: 'web_fetch', input: { url }, caller },
      {
        type: 'web_fetch_tool_result',
        tool_use_id: 'srvtoolu_f',
        caller,
        content: {
          type: 'web_fetch_result',
          url,
          retrieved_at: null,
          content: {
            type: 'document',
            source: { type: 'text', media_type: 'text/plain', data: 'Hello.' },
            title: 'A post',
            citations: null,
          },
        },
      },
      { type: 'server_tool_use', id: 'srvtoolu_g', name: 'web_fetch', input: { url }, caller },
      {
        type: 'web_fetch_tool_result',
        tool_use_id: 'srvtoolu_g',
        caller,
        content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' },
      },
    ]);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 0, web_fetch_requests: 2 });
  });

  it('answers a non-stream request with the same blocks', async () => {
    fake.enqueue(NATIVE_SCRIPT);

    const message = await clientFor(fake).messages.create(PARAMS);

    expect(message.content).toEqual(NATIVE_CONTENT);
    expect(message.stop_reason).toBe('pause_turn');
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });

  it('counts deltas of every kind for stream faults', async () => {
    fake.enqueue({ ...NATIVE_SCRIPT, fault: { kind: 'error-event', afterDeltas: 8 } });

    const stream = clientFor(fake).messages.stream(PARAMS);
    const json: string[] = [];
    stream.on('inputJson', (partial) => json.push(partial));
    const error = await rejectionOf(stream.finalMessage());

    expect(error).toBeInstanceOf(Anthropic.APIError);
    // 6 thinking deltas and the signature, then one of the four input_json_delta chunks.
    expect(json).toEqual(['{"quer']);
    expect(stream.currentMessage?.content.map((block) => block.type)).toEqual(['thinking', 'server_tool_use']);
  });

  it('paces blocks: pauseBeforeMs before a block, resultDelayMs before a search result', async () => {
    fake.enqueue({
      blocks: [{ search: { query: 'q', results: [], resultDelayMs: 100 } }, { text: 'done', pauseBeforeMs: 60 }],
    });
    const stream = clientFor(fake).messages.stream(PARAMS);
    const at: Record<string, number> = {};
    stream.on('contentBlock', (block) => (at[block.type] = performance.now()));
    stream.on('text', () => (at.text ??= performance.now()));

    await stream.done();

    // Seen from the client: a frame that reached it late shortens the gap after it, by up to the
    // event loop's delay on a loaded machine.
    expect(at.web_search_tool_result! - at.server_tool_use!).toBeGreaterThanOrEqual(90);
    expect(at.text! - at.web_search_tool_result!).toBeGreaterThanOrEqual(50);
  });
});

describe('fake Anthropic request checks', () => {
  const THINKING_TURN = [
    { type: 'thinking', thinking: 'Earlier thought.', signature: 'sig-old' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
    {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_1',
      content: [{ type: 'web_search_result', url: 'https://e.com', title: 'E', encrypted_content: 'enc' }],
    },
    { type: 'text', text: 'Earlier answer.' },
  ] satisfies Anthropic.ContentBlockParam[];
  const RICH = {
    model: 'claude-fake-1',
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
          { type: 'text', text: 'notes.txt:\nhello' },
        ],
      },
      { role: 'assistant', content: THINKING_TURN },
      { role: 'user', content: 'And now?' },
    ],
  } satisfies Anthropic.MessageStreamParams;

  it('accepts and records thinking, tools and content blocks of every kind', async () => {
    await clientFor(fake).messages.stream(RICH).done();

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toEqual({ ...RICH, stream: true });
    expect(fake.requests[0]?.rejected).toBeUndefined();
  });

  it('refuses a thinking block without its signature with 400, records it, and uses no script', async () => {
    const [thought, ...rest] = THINKING_TURN;
    const unsigned = { ...thought, signature: undefined };
    const messages = [RICH.messages[0], { role: 'assistant', content: [unsigned, ...rest] }, RICH.messages[2]];
    fake.enqueue({ text: 'kept for the next request' });

    const error = await rejectionOf(
      clientFor(fake)
        .messages.stream({ ...RICH, messages } as Anthropic.MessageStreamParams)
        .finalMessage(),
    );

    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(fake.requests[0]?.rejected).toBe('messages.1.content.0.thinking.signature: Field required');
    expect(fake.queued).toBe(1);
  });

  it.each([
    ['a thinking budget below 1024', { thinking: { type: 'enabled', budget_tokens: 512 } }],
    ['a thinking budget not below max_tokens', { thinking: { type: 'enabled', budget_tokens: 4096 } }],
    ['a web search tool under another name', { tools: [{ type: 'web_search_20250305', name: 'search' }] }],
    ['a thinking block in a user turn', { messages: [{ role: 'user', content: [THINKING_TURN[0]] }] }],
    ['an image without a source', { messages: [{ role: 'user', content: [{ type: 'image' }] }] }],
    ['a web search in the history without the web_search tool', { tools: [] }],
    [
      'a web fetch result without content',
      { messages: [{ role: 'assistant', content: [{ type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_f' }] }] },
    ],
  ])('refuses %s with 400 invalid_request_error', async (_name, change) => {
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({ ...RICH, ...change }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(fake.requests[0]?.rejected).toEqual(expect.any(String));
  });
});
