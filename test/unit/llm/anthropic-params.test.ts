import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../../fakes/fake-anthropic.js';
import { modelOn, never, QUESTION, recordingHandlers } from './recording-handlers.js';

// The request body the real SDK sends for the adapter's options, as the fake Anthropic records it
// (and checks it: a body the API would refuse is refused).

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

const THINKING = { enabled: true, budgetTokens: 2048 };
const TOOLS = [
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 2 },
];

describe('the request body', () => {
  it('carries no thinking and no tools by default, max_tokens as asked, and prompt caching', async () => {
    await modelOn(fake).stream(QUESTION, recordingHandlers().handlers, never());

    const body = fake.requests[0]?.body;
    expect(body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'What happened today?' }],
      cache_control: { type: 'ephemeral' },
      stream: true,
    });
  });

  it('asks a model that takes adaptive thinking to think adaptively, with room for it on top of the answer', async () => {
    await modelOn(fake, { thinking: THINKING }).stream(QUESTION, recordingHandlers().handlers, never());

    expect(fake.requests[0]?.body).toMatchObject({ thinking: { type: 'adaptive' }, max_tokens: 1000 + 2048 });
    expect(fake.requests[0]?.rejected).toBeUndefined();
  });

  it('gives an older model (the channel’s pick) a thinking budget, max_tokens raised above it', async () => {
    const request = { ...QUESTION, model: 'claude-sonnet-4-5', maxTokens: 300 };
    await modelOn(fake, { thinking: THINKING }).stream(request, recordingHandlers().handlers, never());

    expect(fake.requests[0]?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 300 + 2048,
    });
    // The API needs max_tokens above the budget, which a 300-token answer alone would not be.
    expect(fake.requests[0]?.rejected).toBeUndefined();
  });

  it('sends no thinking when it is off, whatever the budget', async () => {
    await modelOn(fake, { thinking: { enabled: false, budgetTokens: 2048 } }).stream(
      QUESTION,
      recordingHandlers().handlers,
      never(),
    );

    expect(fake.requests[0]?.body.thinking).toBeUndefined();
    expect(fake.requests[0]?.body.max_tokens).toBe(1000);
  });

  it('offers the web search and web fetch tools with their max_uses', async () => {
    await modelOn(fake, { webSearch: { maxUses: 3 }, webFetch: { maxUses: 2 } }).stream(
      QUESTION,
      recordingHandlers().handlers,
      never(),
    );

    expect(fake.requests[0]?.body.tools).toEqual(TOOLS);
    expect(fake.requests[0]?.rejected).toBeUndefined();
  });

  it('offers only the tools that are on', async () => {
    await modelOn(fake, { webSearch: null, webFetch: { maxUses: 2 } }).stream(
      QUESTION,
      recordingHandlers().handlers,
      never(),
    );

    expect(fake.requests[0]?.body.tools).toEqual([TOOLS[1]]);
  });
});

describe('countTokens', () => {
  it('counts with the same thinking and tools the stream will send', async () => {
    const model = modelOn(fake, { thinking: THINKING, webSearch: { maxUses: 3 }, webFetch: { maxUses: 2 } });
    const { maxTokens: _, ...question } = QUESTION;

    await model.countTokens(question, never());
    await model.countTokens({ ...question, model: 'claude-opus-4-5' }, never());

    expect(fake.countTokensRequests.map((request) => request.body)).toEqual([
      {
        model: 'claude-sonnet-4-6',
        system: 'Be brief.',
        messages: QUESTION.messages,
        thinking: { type: 'adaptive' },
        tools: TOOLS,
      },
      {
        model: 'claude-opus-4-5',
        system: 'Be brief.',
        messages: QUESTION.messages,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: TOOLS,
      },
    ]);
    expect(fake.countTokensRequests.every((request) => request.rejected === undefined)).toBe(true);
  });

  it('counts with neither when both are off', async () => {
    const { maxTokens: _, ...question } = QUESTION;

    await modelOn(fake).countTokens(question, never());

    expect(fake.countTokensRequests[0]?.body).toEqual({
      model: 'claude-sonnet-4-6',
      system: 'Be brief.',
      messages: QUESTION.messages,
    });
  });
});
