import { describe, expect, it } from 'vitest';
import { buildMessages, estimateTokens } from '../../src/core/history.js';

const exchanges = Array.from({ length: 10 }, (_, index) => ({
  id: `e${index}`,
  question: `q${index}`,
  answer: `a${index}`,
}));

describe('buildMessages', () => {
  it('keeps at most maxTurns exchanges, the newest, and always the question', () => {
    const messages = buildMessages(exchanges, 'now?', { maxTurns: 2, maxTokens: 10_000 });
    expect(messages.map((message) => message.content)).toEqual(['q8', 'a8', 'q9', 'a9', 'now?']);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
  });

  it('drops the oldest exchanges to stay within the token budget', () => {
    const long = [
      { id: 'old', question: 'old', answer: 'x'.repeat(4000) },
      { id: 'recent', question: 'recent', answer: 'y'.repeat(400) },
    ];
    const budget = estimateTokens('now?') + estimateTokens('recent') + estimateTokens('y'.repeat(400));
    const messages = buildMessages(long, 'now?', { maxTurns: 10, maxTokens: budget });
    expect(messages.map((message) => message.content.slice(0, 6))).toEqual(['recent', 'yyyyyy', 'now?']);
  });

  it('sends the question alone when history is off', () => {
    expect(buildMessages(exchanges, 'hi', { maxTurns: 0, maxTokens: 10_000 })).toEqual([
      { role: 'user', content: 'hi' },
    ]);
  });
});
