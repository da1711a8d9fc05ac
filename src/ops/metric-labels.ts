import type { AccessRefusal } from '../core/access/access-policy.js';
import type { AnswerOutcome } from '../core/answer/answer-outcome.js';
import type { BudgetKind } from '../core/budget/budget-check.js';
import type { ModelFailure } from '../core/ports/model.js';
import type { PlatformWrite, PlatformWriteResult, RefusalReason } from '../core/ports/telemetry.js';
import type { PlatformErrorKind } from '../core/reply/platform-errors.js';
import type { WriteKind } from '../core/reply/write-budget.js';

// Every value of each metric label, checked against the core's types: a new outcome, failure or
// refusal is a compile error here until it is listed (and so gets its series at 0 from the start).

export const OUTCOMES = keysOf<AnswerOutcome>({
  complete: 1,
  max_tokens: 1,
  refused: 1,
  context_full: 1,
  empty: 1,
  failed: 1,
  idle: 1,
  interrupted: 1,
  expired: 1,
  stopped: 1,
  deleted: 1,
});
export const MODEL_FAILURES = keysOf<ModelFailure>({
  overloaded: 1,
  rate_limited: 1,
  authentication: 1,
  permission: 1,
  billing: 1,
  invalid_request: 1,
  not_found: 1,
  timeout: 1,
  connection: 1,
  server: 1,
  stream_cut: 1,
  aborted: 1,
  unknown: 1,
});
export const PLATFORM_ERRORS = keysOf<PlatformErrorKind | 'other'>({
  gone: 1,
  forbidden: 1,
  expired: 1,
  rate_limited: 1,
  transient: 1,
  other: 1,
});
export const ACCESS_REFUSALS = keysOf<AccessRefusal>({
  dms_off: 1,
  guild: 1,
  channel: 1,
  role: 1,
  user: 1,
  blocked: 1,
});
export const BUDGET_KINDS = keysOf<BudgetKind>({ rate: 1, user: 1, channel: 1, guild: 1 });
export const REFUSALS: readonly RefusalReason[] = [
  ...ACCESS_REFUSALS.map((reason) => `not_allowed_${reason}` as const),
  'empty',
  ...BUDGET_KINDS.map((kind) => `over_budget_${kind}` as const),
  'queue_full',
];
export const WRITES = keysOf<PlatformWrite>({ post: 1, edit: 1, delete: 1, callback: 1, other: 1 });
export const WRITE_RESULTS = keysOf<PlatformWriteResult>({ ok: 1, rate_limited: 1, error: 1 });
export const SLOT_KINDS = keysOf<WriteKind>({ post: 1, edit: 1, final: 1 });
export const TOKEN_KINDS = ['input', 'output', 'cache_read', 'cache_write'] as const;

function keysOf<K extends string>(all: Record<K, 1>): readonly K[] {
  return Object.keys(all) as K[];
}
