import { describe, expect, it } from 'vitest';
import type { Ending } from '../../../../src/core/answer/answer-outcome.js';
import type { ModelTurn } from '../../../../src/core/answer/model-turn.js';
import type { TokenUsage } from '../../../../src/core/ports/model.js';
import { usageLine } from '../../../../src/platforms/terminal/usage-line.js';

const usage: TokenUsage = { inputTokens: 12, outputTokens: 90, cacheReadTokens: 1000, cacheCreationTokens: 8 };

function turn(timing: { started: number; firstTextAt: number | null }, tokens: TokenUsage | null = usage): ModelTurn {
  const ending: Ending = {
    outcome: 'complete',
    display: 'Answer.',
    answer: 'Answer.',
    stopReason: 'end_turn',
    failure: null,
    usage: tokens,
  };
  return { ending, ...timing, model: null, requestId: null };
}

describe('usageLine', () => {
  it('shows every input token with the cache reads among them, output, time to first token and speed', () => {
    // First text 420 ms after the start; 90 tokens in the 1.5 s from then to the end.
    expect(usageLine(turn({ started: 1000, firstTextAt: 1420 }), 2920)).toBe(
      '1020 in (1000 cache read) · 90 out · first token 420 ms · 60 tokens/s',
    );
  });

  it('gives a slow first token in seconds', () => {
    expect(usageLine(turn({ started: 0, firstTextAt: 2345 }), 3345)).toBe(
      '1020 in (1000 cache read) · 90 out · first token 2.3 s · 90 tokens/s',
    );
  });

  it('leaves out the timing figures that do not exist', () => {
    expect(usageLine(turn({ started: 0, firstTextAt: null }), 500)).toBe('1020 in (1000 cache read) · 90 out');
    // Text that came at the very end: no time to measure a speed in.
    expect(usageLine(turn({ started: 0, firstTextAt: 500 }), 500)).toBe(
      '1020 in (1000 cache read) · 90 out · first token 500 ms',
    );
  });

  it('has no line when Claude reported no tokens', () => {
    const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
    expect(usageLine(turn({ started: 0, firstTextAt: null }, none), 10)).toBeNull();
    expect(usageLine(turn({ started: 0, firstTextAt: null }, null), 10)).toBeNull();
  });
});
