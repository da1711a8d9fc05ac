import { ModelError } from '../ports/model.js';
import type { ModelFailure, ModelResult, StopReason, TokenUsage } from '../ports/model.js';
import { failureNotice, failureText, notices, withNotice } from '../user-text.js';

// Turns how a stream ended into what the user sees last: the answer, the answer with a notice under
// it, or an explanation instead of it. Never empty, so no reply is ever left on its placeholder.

export type AnswerOutcome =
  'complete' | 'max_tokens' | 'empty' | 'failed' | 'idle' | 'interrupted' | 'expired' | 'stopped' | 'deleted';

/** Why the core itself ended a stream early. */
export type AbortReason =
  | { readonly cause: 'idle' }
  | { readonly cause: 'shutdown' }
  | { readonly cause: 'expired' }
  | { readonly cause: 'stopped'; readonly by: string }
  | { readonly cause: 'deleted' };

const abortOutcomes: Record<AbortReason['cause'], AnswerOutcome> = {
  idle: 'idle',
  shutdown: 'interrupted',
  expired: 'expired',
  stopped: 'stopped',
  deleted: 'deleted',
};

function abortNotice(reason: AbortReason): string {
  switch (reason.cause) {
    case 'idle':
      return notices.idle;
    case 'shutdown':
      return notices.interrupted;
    case 'expired':
      return notices.expired;
    case 'stopped':
      return notices.stopped(reason.by);
    case 'deleted':
      return notices.deleted;
  }
}

export function isAbortReason(reason: unknown): reason is AbortReason {
  return (
    typeof reason === 'object' &&
    reason !== null &&
    'cause' in reason &&
    typeof reason.cause === 'string' &&
    Object.hasOwn(abortOutcomes, reason.cause)
  );
}

export interface Ending {
  readonly outcome: AnswerOutcome;
  /** What the reply shows at the end. */
  readonly display: string;
  /** The answer text as Claude wrote it in this stream (what the conversation keeps). */
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

export function endingFromError(error: unknown, partial: string, reason: AbortReason | undefined): Ending {
  const usage = error instanceof ModelError ? (error.usage ?? null) : null;
  const base = { answer: partial, stopReason: null, usage };
  if (reason) {
    return {
      ...base,
      outcome: abortOutcomes[reason.cause],
      failure: null,
      display: withNotice(partial, abortNotice(reason)),
    };
  }
  const failure = error instanceof ModelError ? error.failure : 'unknown';
  const display = partial.trim() === '' ? failureText(failure) : withNotice(partial, failureNotice(failure));
  return { ...base, outcome: 'failed', failure, display };
}
