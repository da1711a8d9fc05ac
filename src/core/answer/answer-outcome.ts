import { ModelError } from '../ports/model.js';
import type { ModelFailure, ModelResult, ProviderBlock, Source, StopReason, TokenUsage } from '../ports/model.js';
import type { ShownAnswer } from './answer-composer.js';
import { failureNotice, failureText, notices, withNotice } from '../user-text.js';

// Turns how a stream ended into what the user sees last: the answer, the answer with a notice under
// it, or an explanation instead of it. Never empty, so no reply is ever left on its placeholder.

export type AnswerOutcome =
  | 'complete'
  | 'max_tokens'
  | 'refused'
  | 'context_full'
  | 'empty'
  | 'failed'
  | 'idle'
  | 'interrupted'
  | 'expired'
  | 'stopped'
  | 'deleted';

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
  /** The answer text as Claude wrote it in this stream, with its citation markers (what Continue goes on from). */
  readonly answer: string;
  /** The "Sources" list shown (and kept) after the answer; '' or absent when nothing is cited. */
  readonly sourcesList?: string;
  /** Every page the answer cites, numbered in this order (a continued answer's included). */
  readonly sources?: readonly Source[];
  /** Claude's answer as its blocks, to send back later (see ModelResult.blocks). */
  readonly blocks?: readonly ProviderBlock[];
  /** The summarized thinking, for "Show reasoning"; '' when none. */
  readonly reasoning?: string;
  /** Web searches made (billed per search). */
  readonly searches?: number;
  readonly stopReason: StopReason | null;
  readonly failure: ModelFailure | null;
  readonly usage: TokenUsage | null;
}

// Stop reasons that end an answer with a notice of their own, under whatever text came.
const stopNotices: Partial<Record<StopReason, { outcome: AnswerOutcome; notice: string }>> = {
  max_tokens: { outcome: 'max_tokens', notice: notices.maxTokens },
  refusal: { outcome: 'refused', notice: notices.refused },
  context_window_exceeded: { outcome: 'context_full', notice: notices.contextFull },
};

const plainShown = (text: string): ShownAnswer => ({ body: text, sources: [], sourcesList: '' });

/** The text with its sources list, as the reply shows it. */
export function shownText(shown: Pick<ShownAnswer, 'body' | 'sourcesList'>): string {
  return shown.sourcesList === '' ? shown.body : `${shown.body.trimEnd()}${shown.sourcesList}`;
}

export function endingFromResult(result: ModelResult, shown: ShownAnswer = plainShown(result.text)): Ending {
  const base = {
    answer: shown.body,
    sourcesList: shown.sourcesList,
    sources: shown.sources,
    blocks: result.blocks ?? [],
    reasoning: result.reasoning ?? '',
    searches: result.searches ?? 0,
    stopReason: result.stopReason,
    failure: null,
    usage: result.usage,
  };
  const text = shownText(shown);
  const stopped = stopNotices[result.stopReason];
  // A refusal or a full context window says so even without text; running out of tokens with none is empty.
  if (stopped && (stopped.outcome !== 'max_tokens' || result.text.trim() !== '')) {
    return { ...base, outcome: stopped.outcome, display: withNotice(text, stopped.notice) };
  }
  if (result.text.trim() === '') return { ...base, outcome: 'empty', display: notices.empty };
  return { ...base, outcome: 'complete', display: text };
}

export function endingFromError(
  error: unknown,
  partial: string,
  reason: AbortReason | undefined,
  shown: ShownAnswer = plainShown(partial),
): Ending {
  const usage = error instanceof ModelError ? (error.usage ?? null) : null;
  const base = { answer: shown.body, sourcesList: shown.sourcesList, sources: shown.sources, stopReason: null, usage };
  const text = shownText(shown);
  if (reason) {
    return {
      ...base,
      outcome: abortOutcomes[reason.cause],
      failure: null,
      display: withNotice(text, abortNotice(reason)),
    };
  }
  const failure = error instanceof ModelError ? error.failure : 'unknown';
  const display = partial.trim() === '' ? failureText(failure) : withNotice(text, failureNotice(failure));
  return { ...base, outcome: 'failed', failure, display };
}
