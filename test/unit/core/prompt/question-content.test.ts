import { describe, expect, it } from 'vitest';
import type { ContentPart } from '../../../../src/core/ports/model.js';
import { questionContent, questionForHistory } from '../../../../src/core/prompt/question-content.js';

const image: ContentPart = { type: 'image', mediaType: 'image/png', data: 'AAAA' };

describe('questionContent', () => {
  it('is the text alone without files, the files then the text with them, the files alone without text', () => {
    expect(questionContent('hi', [])).toBe('hi');
    expect(questionContent('what is it?', [image])).toEqual([image, { type: 'text', text: 'what is it?' }]);
    expect(questionContent('  ', [image])).toEqual([image]);
  });
});

describe('questionForHistory', () => {
  it('keeps a marker per file that went, never the bytes', () => {
    expect(questionForHistory('hi', undefined)).toBe('hi');
    expect(questionForHistory('hi', [])).toBe('hi');
    expect(questionForHistory('compare', ['a.png', 'b.pdf'])).toBe('[attached: a.png] [attached: b.pdf]\ncompare');
    expect(questionForHistory('', ['a.png'])).toBe('[attached: a.png]');
  });
});
