import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT, fenceStateAfter, splitMessage } from '../../../../src/core/reply/split-message.js';
import { createStreamSplitter } from '../../../../src/core/reply/stream-splitter.js';

const paragraph = (words: number, word = 'lorem') => Array.from({ length: words }, () => word).join(' ');

function expectAllFit(pieces: readonly string[], limit = MESSAGE_LIMIT) {
  for (const piece of pieces) {
    expect(piece.length).toBeLessThanOrEqual(limit);
    expect(piece.trim()).not.toBe('');
  }
}

function expectBalancedFences(piece: string) {
  expect(fenceStateAfter(piece, null)).toBeNull();
}

describe('createStreamSplitter', () => {
  const answer = [
    paragraph(300),
    '```python\n' + Array.from({ length: 150 }, (_, index) => `print(${index})  # a comment`).join('\n') + '\n```',
    paragraph(200, 'ipsum'),
    `See https://example.com/${'p'.repeat(40)} and <@123456789012345678>. ${paragraph(300, 'dolor')}`,
  ].join('\n\n');

  it('commits pieces as the text grows and ends with the same split as the whole text', () => {
    const splitter = createStreamSplitter();
    const seen: string[] = [];
    for (let length = 7; length < answer.length; length += 7) {
      const view = splitter.view(answer.slice(0, length));
      // A committed piece never changes afterwards.
      expect(view.committed.slice(0, seen.length)).toEqual(seen);
      seen.splice(0, seen.length, ...view.committed);
      expect(view.live.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    }
    const pieces = splitter.final(answer);
    expect(pieces).toEqual(splitMessage(answer));
    expectAllFit(pieces);
    pieces.forEach(expectBalancedFences);
  });

  it('shows a short answer whole', () => {
    const splitter = createStreamSplitter();
    expect(splitter.view('Hello').live).toBe('Hello');
    expect(splitter.final('Hello there')).toEqual(['Hello there']);
  });

  it('seals all but the word being written: later text only ever goes to new pieces', () => {
    const splitter = createStreamSplitter(100);
    const shown = paragraph(10); // 59 characters: one message, still live
    expect(splitter.view(shown)).toEqual({ committed: [], live: shown });
    // The last word may still grow, so it moves on with the rest.
    expect(splitter.seal(shown)).toEqual({ committed: [paragraph(9)], live: 'lorem' });
    const more = `${shown} and then some more`;
    expect(splitter.view(more)).toEqual({ committed: [paragraph(9)], live: 'lorem and then some more' });
    expect(splitter.final(more)).toEqual([paragraph(9), 'lorem and then some more']);
  });
});
