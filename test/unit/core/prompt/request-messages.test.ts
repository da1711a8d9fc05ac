import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../../src/core/ports/conversation-store.js';
import type { ChatMessage, ChatModel, ModelRequest } from '../../../../src/core/ports/model.js';
import { CONTINUE_PROMPT, requestMessages } from '../../../../src/core/prompt/request-messages.js';
import type { RequestContext } from '../../../../src/core/prompt/request-messages.js';
import { createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const question = (text: string, id = 'new') => ({ id, channelId: 'c', authorId: 'u', text, remember: true });
const exchanges: Exchange[] = Array.from({ length: 10 }, (_, index) => ({
  id: `e${index}`,
  question: `q${index}`,
  answer: `a${index}`,
}));

// The tests send text only.
const textOf = (content: ChatMessage['content']) => (typeof content === 'string' ? content : '');

// A model whose exact count is `charsPerToken` characters a token, recording how often it counted.
function countingModel(charsPerToken: number, fail = false) {
  const counted: ModelRequest['messages'][] = [];
  const model: ChatModel = {
    stream: () => Promise.reject(new Error('not used')),
    countTokens(request) {
      counted.push(request.messages);
      if (fail) return Promise.reject(new Error('count endpoint down'));
      const chars = request.messages.reduce((sum, message) => sum + textOf(message.content).length, 0);
      return Promise.resolve(Math.ceil(chars / charsPerToken));
    },
  };
  return { model, counted };
}

function context(maxTurns: number, maxTokens: number, model: ChatModel): RequestContext {
  return {
    system: undefined,
    limits: { maxTurns, maxTokens },
    estimator: createTokenEstimator(4),
    model,
    logger: silent,
    signal: new AbortController().signal,
  };
}

const contents = (messages: ChatMessage[]) => messages.map((message) => textOf(message.content));

describe('requestMessages', () => {
  it('keeps at most maxTurns exchanges, the newest, and always the question', async () => {
    const { model, counted } = countingModel(4);
    const messages = await requestMessages(exchanges, question('now?'), undefined, context(2, 10_000, model));
    expect(contents(messages)).toEqual(['q8', 'a8', 'q9', 'a9', 'now?']);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(counted).toEqual([]); // far below the budget: the estimate is trusted
  });

  it('drops the oldest exchanges by estimate to stay within the budget', async () => {
    const long: Exchange[] = [
      { id: 'old', question: 'old', answer: 'x'.repeat(4000) },
      { id: 'recent', question: 'recent', answer: 'y'.repeat(400) },
    ];
    const { model } = countingModel(4);
    const messages = await requestMessages(long, question('now?'), undefined, context(10, 500, model));
    expect(contents(messages).map((text) => text.slice(0, 6))).toEqual(['recent', 'yyyyyy', 'now?']);
  });

  it('counts exactly near the budget and drops more when the estimate was optimistic', async () => {
    const history: Exchange[] = Array.from({ length: 4 }, (_, index) => ({
      id: `e${index}`,
      question: `question ${index}`,
      answer: 'z'.repeat(600),
    }));
    // Real text turns out to be 2 characters a token, not the estimated 4.
    const { model, counted } = countingModel(2);
    const messages = await requestMessages(history, question('now?'), undefined, context(10, 800, model));
    const exact = Math.ceil(contents(messages).join('').length / 2);
    expect(exact).toBeLessThanOrEqual(800);
    expect(counted.length).toBeGreaterThan(1);
    expect(contents(messages).at(-1)).toBe('now?');
  });

  it('falls back to the estimate when the count fails', async () => {
    const history: Exchange[] = [{ id: 'e0', question: 'q', answer: 'z'.repeat(2000) }];
    const { model } = countingModel(2, true);
    const messages = await requestMessages(history, question('now?'), undefined, context(10, 560, model));
    expect(contents(messages)).toEqual(['q', 'z'.repeat(2000), 'now?']);
  });

  it('continues an answer: its own exchange is left out, the answer so far and a request to go on are added', async () => {
    const { model } = countingModel(4);
    const history: Exchange[] = [...exchanges.slice(0, 2), { id: 'new', question: 'tell me', answer: 'old text' }];
    const messages = await requestMessages(
      history,
      question('tell me'),
      'Once upon a time ',
      context(10, 10_000, model),
    );
    expect(contents(messages)).toEqual(['q0', 'a0', 'q1', 'a1', 'tell me', 'Once upon a time', CONTINUE_PROMPT]);
  });
});

describe('requestMessages and branches', () => {
  it('carries the conversation up to the answer a question replies to, not what came after it', async () => {
    const { model } = countingModel(4);
    const branch = { ...question('and then?'), parentId: 'e1' };
    const messages = await requestMessages(exchanges, branch, undefined, context(20, 10_000, model));
    expect(contents(messages)).toEqual(['q0', 'a0', 'q1', 'a1', 'and then?']);
  });
});

describe('requestMessages with the question’s files', () => {
  const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'AAAA' };

  it('sends the files’ parts before the question’s text, and a continuation repeats them', async () => {
    const { model } = countingModel(4);
    const asked = await requestMessages([], question('what is it?'), undefined, {
      ...context(5, 10_000, model),
      questionParts: [image],
    });
    expect(asked).toEqual([{ role: 'user', content: [image, { type: 'text', text: 'what is it?' }] }]);
    const continued = await requestMessages([], question('what is it?'), 'It is', {
      ...context(5, 10_000, model),
      questionParts: [image],
    });
    expect(continued[0]?.content).toEqual([image, { type: 'text', text: 'what is it?' }]);
  });

  it('counts the files against the history budget by their estimate (an image: about 1,600 tokens)', async () => {
    const { model } = countingModel(4);
    const history: Exchange[] = [{ id: 'e', question: 'q'.repeat(1000), answer: 'a'.repeat(1000) }];
    const roomy = await requestMessages(history, question('and?'), undefined, context(5, 2000, model));
    expect(roomy).toHaveLength(3);
    const crowded = await requestMessages(history, question('and?'), undefined, {
      ...context(5, 2000, model),
      questionParts: [image],
    });
    expect(crowded).toEqual([{ role: 'user', content: [image, { type: 'text', text: 'and?' }] }]);
  });
});
