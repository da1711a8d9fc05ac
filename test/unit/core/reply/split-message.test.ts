import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT, fenceStateAfter, splitMessage } from '../../../../src/core/reply/split-message.js';

const paragraph = (words: number, word = 'lorem') => Array.from({ length: words }, () => word).join(' ');

function expectAllFit(pieces: string[], limit = MESSAGE_LIMIT) {
  for (const piece of pieces) {
    expect(piece.length).toBeLessThanOrEqual(limit);
    expect(piece.trim()).not.toBe('');
  }
}

function expectBalancedFences(piece: string) {
  expect(fenceStateAfter(piece, null)).toBeNull();
}

describe('splitMessage', () => {
  it('keeps a text that fits as it is', () => {
    expect(splitMessage('hello\n\nworld')).toEqual(['hello\n\nworld']);
  });

  it('cuts at a paragraph break and loses nothing', () => {
    const paragraphs = [paragraph(250), paragraph(250), paragraph(250)];
    const pieces = splitMessage(paragraphs.join('\n\n'));
    expectAllFit(pieces);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('falls back to a line break, then to a word break', () => {
    const lines = Array.from({ length: 60 }, (_, index) => `line ${index} ${paragraph(8)}`).join('\n');
    const byLine = splitMessage(lines);
    expectAllFit(byLine);
    expect(byLine.join('\n')).toBe(lines);

    const words = paragraph(900);
    const byWord = splitMessage(words);
    expectAllFit(byWord);
    expect(byWord.join(' ')).toBe(words);
  });

  it('never cuts a surrogate pair', () => {
    const emoji = '😀'.repeat(1500); // 3000 UTF-16 units, no whitespace
    const pieces = splitMessage(emoji);
    expectAllFit(pieces);
    expect(pieces.join('')).toBe(emoji);
    for (const piece of pieces) expect(piece).toMatch(/^(?:😀)+$/u);
  });

  it('never cuts inside a URL or a mention', () => {
    const url = `https://example.com/${'a'.repeat(60)}`;
    const mention = '<@123456789012345678>';
    const text = `${'x'.repeat(1965)}${mention}${url}${'y'.repeat(100)}`;
    const pieces = splitMessage(text);
    expectAllFit(pieces);
    expect(pieces.join('')).toBe(text);
    expect(pieces.some((piece) => piece.includes(mention))).toBe(true);
    expect(pieces.some((piece) => piece.includes(url))).toBe(true);
  });

  it('closes a code block at the cut and reopens it with its language', () => {
    const code = Array.from({ length: 120 }, (_, index) => `const value${index} = ${index} * 2; // ${index}`);
    const text = `Here is the code:\n\n\`\`\`typescript\n${code.join('\n')}\n\`\`\`\n\nThat is all.`;
    const pieces = splitMessage(text);
    expectAllFit(pieces);
    expect(pieces.length).toBeGreaterThan(1);
    pieces.forEach(expectBalancedFences);
    expect(pieces[0]).toMatch(/\n```$/);
    expect(pieces[1]).toMatch(/^```typescript\n/);
    const allCode = pieces.join('\n').match(/const value\d+ = \d+ \* 2; \/\/ \d+/g);
    expect(allCode).toEqual(code);
  });
});
