import { describe, expect, it } from 'vitest';
import { asMessages, pickHistory } from '../../../../src/core/prompt/history.js';
import type { Exchange } from '../../../../src/core/ports/conversation-store.js';
import { createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';

const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig' };
const text = { type: 'text', text: 'Paris [1]' };

describe('asMessages', () => {
  it('sends an answer’s blocks back unchanged as the assistant turn, and text when it has none', () => {
    const exchanges: Exchange[] = [
      { id: 'a', question: 'q1', answer: 'Paris [1]\n\nSources…', answerBlocks: [thinking, text] },
      { id: 'b', question: 'q2', answer: 'plain' },
    ];
    expect(asMessages(exchanges)).toEqual([
      { role: 'user', content: 'q1' },
      {
        role: 'assistant',
        content: [
          { type: 'provider', block: thinking },
          { type: 'provider', block: text },
        ],
      },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'plain' },
    ]);
  });
});

describe('pickHistory', () => {
  it('counts the size of the blocks that go back, and sends the text shown when they do not fit', () => {
    const big = { type: 'thinking', thinking: 'x'.repeat(4000), signature: 's' };
    const small = { type: 'thinking', thinking: 'y', signature: 's' };
    const exchanges: Exchange[] = [
      { id: 'a', question: 'q', answer: 'first', answerBlocks: [small] },
      { id: 'b', question: 'q', answer: 'second', answerBlocks: [big] },
    ];
    const limits = { maxTurns: 10, maxTokens: 500 };
    expect(pickHistory(exchanges, 0, limits, createTokenEstimator())).toEqual([
      exchanges[0],
      { id: 'b', question: 'q', answer: 'second' },
    ]);
    // Not even the text fits: the exchange and every older one stay out.
    expect(pickHistory(exchanges, 490, limits, createTokenEstimator())).toEqual([]);
  });
});
