import { describe, expect, it } from 'vitest';
import { supportsAdaptiveThinking } from '../../../src/llm/thinking-support.js';

describe('supportsAdaptiveThinking', () => {
  it.each([
    'claude-opus-4-6',
    'claude-sonnet-4-6',
    'claude-opus-4-7',
    'claude-sonnet-5-5',
    'claude-haiku-5',
    'claude-opus-4.6',
    'anthropic.claude-opus-4-6-v1',
    'us.anthropic.claude-sonnet-4-6',
    'CLAUDE-SONNET-4-6',
  ])('%s: adaptive', (model) => {
    expect(supportsAdaptiveThinking(model)).toBe(true);
  });

  it.each([
    'claude-sonnet-4-5',
    'claude-opus-4-5-20251101',
    'claude-haiku-4-5',
    'claude-sonnet-4-20250514',
    'claude-opus-4-1',
    'claude-3-7-sonnet-20250219',
    'claude-default',
    'my-proxy-model',
  ])('%s: a thinking budget', (model) => {
    expect(supportsAdaptiveThinking(model)).toBe(false);
  });
});
