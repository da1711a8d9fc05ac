import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/ports/model.js';
import type { ModelRequest, ProviderBlock } from '../../../src/core/ports/model.js';
import type { AnthropicModelOptions } from '../../../src/llm/anthropic.js';
import { MAX_PAUSE_CONTINUATIONS } from '../../../src/llm/anthropic.js';
import { startFakeAnthropic } from '../../fakes/fake-anthropic.js';
import type { AnthropicScript, FakeAnthropic, FakeStopReason } from '../../fakes/fake-anthropic.js';
import { modelOn, never, QUESTION, recordingHandlers } from './recording-handlers.js';

// One answer's result: Claude's blocks as the API sent them, the reasoning, the searches and the
// stop reason; and a paused turn continued into that one result.

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

const TOOLS_ON = { webSearch: { maxUses: 5 }, webFetch: { maxUses: 5 } };

const answer = (request: ModelRequest = QUESTION, options: Partial<AnthropicModelOptions> = TOOLS_ON) =>
  modelOn(fake, options).stream(request, recordingHandlers().handlers, never());

const followUpTo = (blocks: readonly ProviderBlock[] | undefined, question = 'And then?'): ModelRequest => ({
  ...QUESTION,
  messages: [
    ...QUESTION.messages,
    { role: 'assistant', content: (blocks ?? []).map((block) => ({ type: 'provider' as const, block })) },
    { role: 'user', content: question },
  ],
});

describe('the result of an answer', () => {
  it('keeps every block exactly as streamed: thinking with its signature, redacted thinking, search, cited text', async () => {
    fake.enqueue({
      blocks: [
        { thinking: 'First I check the date.', signature: 'sig-one', chunkSize: 5 },
        { redactedThinking: 'redacted-bytes' },
        {
          search: { query: 'news', id: 'srvtoolu_1', results: [{ url: 'https://n.example', encryptedContent: 'enc' }] },
        },
        { thinking: 'Then I summarise.', signature: 'sig-two' },
        { text: 'Big news.', citations: [{ url: 'https://n.example', title: 'N', encryptedIndex: 'idx' }] },
      ],
    });

    const result = await answer();

    const direct = { type: 'direct' };
    expect(result.blocks).toEqual([
      { type: 'thinking', thinking: 'First I check the date.', signature: 'sig-one' },
      { type: 'redacted_thinking', data: 'redacted-bytes' },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'news' }, caller: direct },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_1',
        caller: direct,
        content: [
          {
            type: 'web_search_result',
            url: 'https://n.example',
            title: 'https://n.example',
            encrypted_content: 'enc',
            page_age: null,
          },
        ],
      },
      { type: 'thinking', thinking: 'Then I summarise.', signature: 'sig-two' },
      {
        type: 'text',
        text: 'Big news.',
        citations: [
          {
            type: 'web_search_result_location',
            url: 'https://n.example',
            title: 'N',
            encrypted_index: 'idx',
            cited_text: '',
          },
        ],
      },
    ]);
    // Plain JSON, ready to store: none of the SDK's hidden helpers (a tool input's JSON buffer, a text's parsed output).
    for (const block of result.blocks ?? []) expect(Object.getOwnPropertyNames(block)).toEqual(Object.keys(block));
    expect(result.reasoning).toBe('First I check the date.\n\nThen I summarise.');
    expect(result.searches).toBe(1);
    expect(result.text).toBe('Big news.');
    expect(result.stopReason).toBe('end_turn');
  });

  it('has no blocks, reasoning or searches for a plain text answer', async () => {
    fake.enqueue({ blocks: [{ text: 'Just ' }, { text: 'words.' }] });

    const result = await answer();

    expect(result).toMatchObject({ text: 'Just words.', blocks: [], reasoning: '', searches: 0 });
  });

  it('sends the blocks back in a later request unchanged, which the API accepts', async () => {
    fake.enqueue({
      blocks: [
        { thinking: 'Think.', signature: 'sig' },
        { redactedThinking: 'secret' },
        { search: { query: 'q', results: [{ url: 'https://r.example' }] } },
        { text: 'Answer.', citations: [{ url: 'https://r.example' }] },
      ],
    });
    const first = await answer();

    await answer(followUpTo(first.blocks));

    expect(fake.requests[1]?.rejected).toBeUndefined();
    expect(fake.requests[1]?.body.messages[1]).toEqual({ role: 'assistant', content: first.blocks });
    expect(first.blocks).toHaveLength(5);
  });

  it('keeps a web fetch’s blocks, which go back accepted, and does not count the fetch as a search', async () => {
    const url = 'https://example.com/post';
    fake.enqueue({
      blocks: [
        { search: { query: '', name: 'web_fetch', input: { url }, results: [{ url, text: 'Hello.' }] } },
        { text: 'The post says hello.' },
      ],
    });
    const first = await answer();
    await answer(followUpTo(first.blocks, 'Thanks.'));

    expect(first.blocks?.map((block) => block.type)).toEqual(['server_tool_use', 'web_fetch_tool_result', 'text']);
    expect(first.searches).toBe(0);
    expect(fake.requests[1]?.rejected).toBeUndefined();
    expect(fake.requests[1]?.body.messages[1]).toEqual({ role: 'assistant', content: first.blocks });
  });

  it('leaves the blocks of a tool turned off since out of what goes back, and the text without its citations', async () => {
    fake.enqueue({
      blocks: [
        { thinking: 'Think.', signature: 'sig' },
        { search: { query: 'q', results: [{ url: 'https://r.example' }] } },
        { text: 'Answer.', citations: [{ url: 'https://r.example' }] },
      ],
    });
    const first = await answer();

    await answer(followUpTo(first.blocks), { webSearch: null });

    expect(fake.requests[1]?.rejected).toBeUndefined();
    expect(fake.requests[1]?.body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Think.', signature: 'sig' },
        { type: 'text', text: 'Answer.' },
      ],
    });
  });

  it.each<[FakeStopReason, string]>([
    ['refusal', 'refusal'],
    ['model_context_window_exceeded', 'context_window_exceeded'],
    ['max_tokens', 'max_tokens'],
    ['tool_use', 'other'],
  ])('maps stop reason %s to %s', async (stopReason, expected) => {
    fake.enqueue({ text: 'Partial', stopReason });

    const result = await answer();

    expect(result).toMatchObject({ text: 'Partial', stopReason: expected });
  });
});

describe('a paused turn', () => {
  const paused = (text: string, inputTokens: number): AnthropicScript => ({
    blocks: [
      { text },
      { search: { query: `search ${inputTokens}`, results: [{ url: `https://${inputTokens}.example` }] } },
    ],
    stopReason: 'pause_turn',
    inputTokens,
    cacheReadTokens: 10,
    outputTokens: 3,
  });

  it('is continued with its content as the last assistant message, into the same reply and one result', async () => {
    fake.enqueue(paused('Looking. ', 100), { text: 'Found it.', inputTokens: 150, outputTokens: 4, chunkSize: 100 });
    const { handlers, seen } = recordingHandlers();

    const result = await modelOn(fake, { webSearch: { maxUses: 5 } }).stream(QUESTION, handlers, never());

    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests.map((request) => request.body);
    const pausedBlocks = result.blocks?.slice(0, 3);
    expect(second).toEqual({
      ...first,
      messages: [...(first?.messages ?? []), { role: 'assistant', content: pausedBlocks }],
    });
    expect(pausedBlocks?.map((block) => block.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result']);
    expect(result.blocks?.slice(3)).toEqual([{ type: 'text', text: 'Found it.' }]);
    expect(result.text).toBe('Looking. Found it.');
    expect(seen.snapshots.at(-1)).toBe('Looking. Found it.');
    expect(result.stopReason).toBe('end_turn');
    expect(result.searches).toBe(1);
    expect(result.usage).toEqual({ inputTokens: 250, outputTokens: 7, cacheReadTokens: 10, cacheCreationTokens: 0 });
  });

  it(`is continued at most ${MAX_PAUSE_CONTINUATIONS} times, then ends with what it has`, async () => {
    const scripts = [1, 2, 3, 4, 5].map((n) => paused(`Part ${n}. `, n));
    fake.enqueue(...scripts);

    const result = await answer();

    expect(fake.requests).toHaveLength(1 + MAX_PAUSE_CONTINUATIONS);
    expect(fake.queued).toBe(5 - 1 - MAX_PAUSE_CONTINUATIONS);
    expect(result.stopReason).toBe('other');
    expect(result.text).toBe('Part 1. Part 2. Part 3. Part 4. ');
    expect(result.blocks).toHaveLength(3 * (1 + MAX_PAUSE_CONTINUATIONS));
    // Every paused call so far goes back as one assistant message.
    const last = fake.requests.at(-1)?.body.messages.at(-1);
    expect(last).toEqual({ role: 'assistant', content: result.blocks?.slice(0, 3 * MAX_PAUSE_CONTINUATIONS) });
    expect(result.usage.inputTokens).toBe(1 + 2 + 3 + 4);
  });

  it('is aborted during a continuation like during the first call, with the usage of both calls', async () => {
    fake.enqueue(paused('Part one. ', 100), {
      text: 'Part two',
      inputTokens: 150,
      fault: { kind: 'stall', afterDeltas: 1 },
    });
    const controller = new AbortController();
    const { handlers } = recordingHandlers((snapshot) => {
      if (snapshot === 'Part one. Part') controller.abort();
    });

    const error: unknown = await modelOn(fake, TOOLS_ON)
      .stream(QUESTION, handlers, controller.signal)
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ failure: 'aborted', requestId: fake.requests[1]?.requestId });
    expect((error as ModelError).usage?.inputTokens).toBe(250);
  });
});
