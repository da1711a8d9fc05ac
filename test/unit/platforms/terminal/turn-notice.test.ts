import { describe, expect, it } from 'vitest';
import { endingFromError, endingFromResult } from '../../../../src/core/answer/answer-outcome.js';
import { ModelError } from '../../../../src/core/ports/model.js';
import { terminalText } from '../../../../src/core/user-text.js';
import { turnNotice } from '../../../../src/platforms/terminal/turn-notice.js';

const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 };

describe('turnNotice', () => {
  it('has nothing to add to a complete answer', () => {
    expect(turnNotice(endingFromResult({ text: 'Done.', stopReason: 'end_turn', usage }))).toBeNull();
  });

  it("gives the core's notices without Discord's markup", () => {
    const cut = turnNotice(endingFromResult({ text: 'Long', stopReason: 'max_tokens', usage }));
    expect(cut).toBe('✂️ The answer was cut at the length limit.');
    const overloaded = endingFromError(new ModelError('overloaded', 'overloaded'), 'Half', undefined);
    expect(turnNotice(overloaded)).toBe(
      '⚠️ Claude is overloaded right now. Please try again in a minute. The answer above is incomplete.',
    );
    expect(turnNotice(endingFromError(new Error('?'), 'Half', { cause: 'idle' }))).not.toContain('-#');
  });

  it('explains a failure before any text on its own', () => {
    const refused = endingFromError(new ModelError('authentication', '401'), '', undefined);
    expect(turnNotice(refused)).toBe('⚠️ The bot could not sign in to Claude. An admin needs to check its API key.');
  });

  it('says Stopped, naming nobody, after Ctrl-C', () => {
    const stopped = endingFromError(new ModelError('aborted', 'aborted'), 'Half', { cause: 'stopped', by: 'me' });
    expect(turnNotice(stopped)).toBe(terminalText.stopped);
  });
});
