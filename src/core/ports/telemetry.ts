import type { AccessRefusal } from '../access/access-policy.js';
import type { AnswerReport } from '../answer/answer-report.js';
import type { BudgetKind } from '../budget/budget-check.js';
import type { PlatformErrorKind } from '../reply/platform-errors.js';
import type { WriteKind } from '../reply/write-budget.js';

// What the bot tells whoever watches it: events as they happen, never who asked or where. The
// metrics adapter (src/ops/metrics.ts) turns them into Prometheus series; the core never sees it.

/** Why a question (or a Regenerate, Continue) was not answered. */
export type RefusalReason = `not_allowed_${AccessRefusal}` | 'empty' | `over_budget_${BudgetKind}` | 'queue_full';

/**
 * A request that changes something on the platform: a new message (a post or a follow-up), an edit,
 * a deletion, an interaction callback (acknowledging a command or a button), anything else (commands).
 */
export type PlatformWrite = 'post' | 'edit' | 'delete' | 'callback' | 'other';

export type PlatformWriteResult = 'ok' | 'rate_limited' | 'error';

/** What the metrics need of an answer's report. */
export type AnswerFacts = Pick<
  AnswerReport,
  | 'outcome'
  | 'failure'
  | 'ttftMs'
  | 'durationMs'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheCreationTokens'
  | 'searches'
>;

export interface Telemetry {
  /** An answer's reply shows its end. */
  answerEnded(answer: AnswerFacts): void;
  /** A write got its slot in its bucket's write budget (and the global pacer) after `waitedMs`. */
  slotGranted(kind: WriteKind, waitedMs: number): void;
  /** The platform answered a write. */
  platformWrite(write: PlatformWrite, result: PlatformWriteResult): void;
  /** The platform answered 429 (to any request, reads included). */
  platformRateLimited(): void;
  /** The platform refused a write of an answer's reply; `other`: an error it has no class for. */
  platformFailed(kind: PlatformErrorKind | 'other'): void;
  refused(reason: RefusalReason): void;
}

/** Telemetry that goes nowhere: the default wherever nobody watches. */
export const noTelemetry: Telemetry = {
  answerEnded: () => {},
  slotGranted: () => {},
  platformWrite: () => {},
  platformRateLimited: () => {},
  platformFailed: () => {},
  refused: () => {},
};
