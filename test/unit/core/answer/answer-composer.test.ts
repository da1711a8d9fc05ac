import { describe, expect, it } from 'vitest';
import { createAnswerComposer, markdownLink } from '../../../../src/core/answer/answer-composer.js';
import { SOURCES_HEADING } from '../../../../src/core/user-text.js';

const paris = { url: 'https://example.com/paris', title: 'Paris' };
const rome = { url: 'https://example.com/rome', title: 'Rome [city]' };

describe('createAnswerComposer', () => {
  it('puts one number per distinct page after each cited block', () => {
    const composer = createAnswerComposer();
    composer.cite('Paris is big', [paris, rome]);
    composer.cite('Paris is big, and so is Rome ', [rome, rome]);
    const text = 'Paris is big, and so is Rome and more.';
    expect(composer.body(text)).toBe('Paris is big [1][2], and so is Rome [2] and more.');
  });

  it('lists the sources at the end, numbered, with the platform’s links', () => {
    const composer = createAnswerComposer((source) => `<${source.url}>`);
    composer.cite('A', [paris]);
    composer.cite('AB', [rome]);
    const shown = composer.shown('AB.');
    expect(shown.body).toBe('A [1]B [2].');
    expect(shown.sourcesList).toBe(`\n\n${SOURCES_HEADING}\n1. <${paris.url}>\n2. <${rome.url}>`);
    expect(shown.sources).toEqual([paris, rome]);
  });

  it('shows no list when nothing is cited', () => {
    expect(createAnswerComposer().shown('plain')).toEqual({ body: 'plain', sources: [], sourcesList: '' });
  });

  it('numbers on from the answer it continues', () => {
    const composer = createAnswerComposer(markdownLink, [paris]);
    composer.cite('more', [rome, paris]);
    expect(composer.body('more')).toBe('more [2][1]');
    expect(composer.shown('more').sources).toEqual([paris, rome]);
  });

  it('escapes brackets in plain Markdown titles', () => {
    expect(markdownLink(rome)).toBe('[Rome \\[city\\]](https://example.com/rome)');
  });
});
