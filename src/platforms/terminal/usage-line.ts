import type { ModelTurn } from '../../core/answer/model-turn.js';
import { totalInputTokens } from '../../core/ports/model.js';
import { terminalText } from '../../core/user-text.js';

// The figures after each answer: tokens in (and read from the prompt cache), tokens out, time to first
// token, and output speed from the first token to the end (the wait before it is the TTFT's).

/**
 * The usage line for `turn`, which ended at `finished` (the same clock's elapsed()); null when Claude
 * reported no tokens (the request failed before its stream started).
 */
export function usageLine(turn: ModelTurn, finished: number): string | null {
  const { usage } = turn.ending;
  if (!usage) return null;
  const input = totalInputTokens(usage);
  if (input + usage.outputTokens === 0) return null;
  const { started, firstTextAt } = turn;
  const streamingSeconds = firstTextAt === null ? 0 : (finished - firstTextAt) / 1000;
  return terminalText.usage({
    input,
    cacheRead: usage.cacheReadTokens,
    output: usage.outputTokens,
    ttftMs: firstTextAt === null ? null : firstTextAt - started,
    tokensPerSecond: streamingSeconds > 0 ? usage.outputTokens / streamingSeconds : null,
  });
}
