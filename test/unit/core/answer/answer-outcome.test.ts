import { describe, expect, it } from 'vitest';
import { endingFromResult } from '../../../../src/core/answer/answer-outcome.js';
import type { ModelResult } from '../../../../src/core/ports/model.js';
import { notices } from '../../../../src/core/user-text.js';

const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 };
const result = (text: string, stopReason: ModelResult['stopReason']): ModelResult => ({ text, stopReason, usage });

describe('endingFromResult', () => {
  it('ends a refusal with its own notice, under the text that came', () => {
    expect(endingFromResult(result('Partly', 'refusal'))).toMatchObject({
      outcome: 'refused',
      answer: 'Partly',
      display: `Partly\n\n${notices.refused}`,
    });
    expect(endingFromResult(result('', 'refusal'))).toMatchObject({ outcome: 'refused', display: notices.refused });
  });

  it('ends a full context window with a notice that suggests /reset', () => {
    const ending = endingFromResult(result('', 'context_window_exceeded'));
    expect(ending).toMatchObject({ outcome: 'context_full', display: notices.contextFull });
    expect(notices.contextFull).toContain('/reset');
  });

  it('shows the sources list under the text and before a notice', () => {
    const shown = { body: 'Cited [1]  ', sources: [], sourcesList: '\n\nS' };
    expect(endingFromResult(result('Cited  ', 'max_tokens'), shown).display).toBe(
      `Cited [1]\n\nS\n\n${notices.maxTokens}`,
    );
    expect(endingFromResult(result('Cited', 'end_turn'), shown)).toMatchObject({
      display: 'Cited [1]\n\nS',
      answer: 'Cited [1]  ',
      sourcesList: '\n\nS',
    });
  });

  it('carries the blocks, the reasoning and the searches of the result', () => {
    const ending = endingFromResult({
      ...result('x', 'end_turn'),
      blocks: [{ type: 'text', text: 'x' }],
      reasoning: 'hmm',
      searches: 2,
    });
    expect(ending).toMatchObject({ blocks: [{ type: 'text', text: 'x' }], reasoning: 'hmm', searches: 2 });
  });
});
