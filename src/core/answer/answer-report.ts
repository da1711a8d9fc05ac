import type { AnswerOutcome, Ending } from './answer-outcome.js';
import type { ModelFailure, StopReason } from '../ports/model.js';
import type { Question } from '../prompt/question.js';
import { usageFooter } from '../user-text.js';

// What is known about an answer once its reply shows the end: logged, and handed to observers.

export interface AnswerReport {
  readonly answerId: string;
  readonly channelId: string;
  readonly outcome: AnswerOutcome;
  readonly stopReason: StopReason | null;
  readonly failure: ModelFailure | null;
  /** Input tokens neither read from nor written to the prompt cache. */
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly cacheCreationTokens: number | null;
  /** From the model call to the first text, in ms; null if no text came. */
  readonly ttftMs: number | null;
  readonly durationMs: number;
  readonly edits: number;
  readonly display: string;
}

/** When the stream started, first showed text and ended (performance.now()). */
export interface StreamTiming {
  readonly started: number;
  readonly firstTextAt: number | null;
  readonly finished: number;
}

export function buildReport(
  question: Question,
  ending: Ending,
  display: string,
  edits: number,
  timing: StreamTiming,
): AnswerReport {
  return {
    answerId: question.id,
    channelId: question.channelId,
    outcome: ending.outcome,
    stopReason: ending.stopReason,
    failure: ending.failure,
    inputTokens: ending.usage?.inputTokens ?? null,
    outputTokens: ending.usage?.outputTokens ?? null,
    cacheReadTokens: ending.usage?.cacheReadTokens ?? null,
    cacheCreationTokens: ending.usage?.cacheCreationTokens ?? null,
    ttftMs: timing.firstTextAt === null ? null : Math.round(timing.firstTextAt - timing.started),
    durationMs: Math.round(timing.finished - timing.started),
    edits,
    display,
  };
}

/** The final display, with the usage line under it when enabled and there is an answer. */
export function displayWithUsage(ending: Ending, timing: StreamTiming, enabled: boolean): string {
  if (!enabled || !ending.usage || ending.answer.trim() === '') return ending.display;
  const { firstTextAt, started, finished } = timing;
  const streamingSeconds = firstTextAt === null ? 0 : (finished - firstTextAt) / 1000;
  const footer = usageFooter({
    input: ending.usage.inputTokens + ending.usage.cacheReadTokens + ending.usage.cacheCreationTokens,
    output: ending.usage.outputTokens,
    ttftMs: firstTextAt === null ? null : firstTextAt - started,
    tokensPerSecond: streamingSeconds > 0 ? ending.usage.outputTokens / streamingSeconds : null,
  });
  return `${ending.display}\n${footer}`;
}
