import { ModelError } from './model.js';
import type { ModelFailure, ModelResult, StopReason, TokenUsage } from './model.js';
import { failureNotice, failureText, notices, withNotice } from './user-text.js';

// Turns how a stream ended into what the user sees last: the answer, the answer with a notice under
// it, or an explanation instead of it. Never empty, so no reply is ever left on its placeholder.

export type AnswerOutcome = 'complete' | 'max_tokens' | 'empty' | 'failed' | 'idle' | 'interrupted' | 'expired';

/** Why the core itself aborted a stream. */
export type AbortCause = 'idle' | 'shutdown' | 'expired';

const abortEndings: Record<AbortCause, { outcome: AnswerOutcome; notice: string }> = {
  idle: { outcome: 'idle', notice: notices.idle },
  shutdown: { outcome: 'interrupted', notice: notices.interrupted },
  expired: { outcome: 'expired', notice: notices.expired },
};

export function isAbortCause(reason: unknown): reason is AbortCause {
  return typeof reason === 'string' && Object.hasOwn(abortEndings, reason);
}

export interface Ending {
  readonly outcome: AnswerOutcome;
  /** What the reply shows at the end. */
  readonly display: string;
  /** The answer text as Claude wrote it (what the conversation keeps). */
  readonly answer: string;
  readonly stopReason: StopReason | null;
  readonly failure: ModelFailure | null;
  readonly usage: TokenUsage | null;
}

export function endingFromResult(result: ModelResult): Ending {
  const base = { answer: result.text, stopReason: result.stopReason, failure: null, usage: result.usage };
  if (result.text.trim() === '') return { ...base, outcome: 'empty', display: notices.empty };
  if (result.stopReason === 'max_tokens') {
    return { ...base, outcome: 'max_tokens', display: withNotice(result.text, notices.maxTokens) };
  }
  return { ...base, outcome: 'complete', display: result.text };
}

export function endingFromError(error: unknown, partial: string, cause: AbortCause | undefined): Ending {
  const usage = error instanceof ModelError ? (error.usage ?? null) : null;
  const base = { answer: partial, stopReason: null, usage };
  if (cause) {
    const { outcome, notice } = abortEndings[cause];
    return { ...base, outcome, failure: null, display: withNotice(partial, notice) };
  }
  const failure = error instanceof ModelError ? error.failure : 'unknown';
  const display = partial.trim() === '' ? failureText(failure) : withNotice(partial, failureNotice(failure));
  return { ...base, outcome: 'failed', failure, display };
}
