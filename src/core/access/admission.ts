import type { AccessPolicy, AccessRefusal, Asker } from './access-policy.js';
import type { BudgetCheck, BudgetRefusal } from '../budget/budget-check.js';
import { budgetRefusalText } from '../budget/budget-text.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SettingsStore } from '../ports/storage.js';
import type { RefusalReason, Telemetry } from '../ports/telemetry.js';
import type { Question } from '../prompt/question.js';
import { loadPlaceSettings } from '../settings/place-settings.js';
import { logRefusal } from './refusal-log.js';
import { EMPTY_MENTION_HINT, accessText } from '../user-text.js';
import type { PlaceSettings } from '../settings/place-settings.js';

// Whether a question is answered, decided before anything is posted or asked: who may ask here (the
// operator's lists and the guild's), the queue, then the budgets. An admitted question carries
// the settings of where it was asked. Storage trouble never leaves a question unanswered: the
// operator's lists and defaults decide alone, and the failure is logged.

export type Admission =
  | { readonly kind: 'admitted'; readonly question: Question }
  /** `told`: whether the person is to be told now (see AdmitOptions.tellRefused). */
  | { readonly kind: 'not-allowed'; readonly reason: AccessRefusal; readonly told: boolean }
  /** Allowed, but with nothing to ask. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'over-budget'; readonly refusal: BudgetRefusal }
  | { readonly kind: 'queue-full'; readonly text: string };

export interface AdmissionDeps {
  readonly settings: SettingsStore;
  readonly access: AccessPolicy;
  readonly budget: BudgetCheck;
  /** Why the question may not wait in its channel now (answerer.refusal). */
  readonly queueRefusal: (question: Question) => string | null;
  /** The operator's admins: exempt from budgets, like the guild's (Manage Server). */
  readonly adminIds: ReadonlySet<string>;
  readonly allowedModels: ReadonlySet<string>;
  readonly logger: Logger;
  /**
   * Told why a question is refused. A full queue is told by whoever decides it (answerer.refusal,
   * which `queueRefusal` asks), so that the check repeated just before answering counts too, once.
   */
  readonly telemetry?: Pick<Telemetry, 'refused'>;
}

/**
 * Decides on `question` asked by `asker`. The queue is checked before the budgets; the caller checks
 * it once more as the job starts (answerer.start): questions that arrive together
 * all pass this await before any of them has joined the queue.
 */
export type Admit = (question: Question, asker: Asker, options?: AdmitOptions) => Promise<Admission>;

export interface AdmitOptions {
  /**
   * Asked only when the access lists refuse the person: whether to tell them now. A platform may tell
   * a person once in a while only (a mention: once an hour per channel); a refusal nobody is told is
   * logged at debug. Absent: always told.
   */
  readonly tellRefused?: () => boolean;
}

const NOTHING_SET: PlaceSettings = { answer: {}, access: {} };

export function createAdmission(deps: AdmissionDeps): Admit {
  const { logger } = deps;

  async function settingsOf(asker: Asker): Promise<PlaceSettings> {
    try {
      return await loadPlaceSettings(deps.settings, asker, deps.allowedModels);
    } catch (error) {
      logger.error({ err: error, channelId: asker.channelIds[0] }, 'could not read the settings; using the defaults');
      return NOTHING_SET;
    }
  }

  // Each refusal logs its one line here, except the queue's: answerer.refusal logs those, wherever asked.
  return async (question, asker, options = {}) => {
    const admission = await decide(question, asker, options);
    const reason = countedReason(admission);
    if (reason !== null) deps.telemetry?.refused(reason);
    return admission;
  };

  async function decide(question: Question, asker: Asker, options: AdmitOptions): Promise<Admission> {
    const place = await settingsOf(asker);
    const decision = deps.access(asker, place.access);
    if (!decision.allowed) {
      const told = options.tellRefused?.() ?? true;
      logRefusal(logger, question, 'not-allowed', { access: decision.reason }, told ? 'info' : 'debug');
      return { kind: 'not-allowed', reason: decision.reason, told };
    }
    // Files alone are a question (an image to describe, a log to explain).
    if (question.text.trim() === '' && (question.attachments?.length ?? 0) === 0) {
      logRefusal(logger, question, 'empty');
      return { kind: 'empty' };
    }
    // Checked before the budgets too, so that a question the queue refuses anyway takes no request
    // from the person's rate.
    const early = deps.queueRefusal(question);
    if (early !== null) return { kind: 'queue-full', text: early };
    const exempt = deps.adminIds.has(asker.userId) || asker.managesGuild === true;
    const refusal = await checkBudget(deps, question, exempt);
    if (refusal) return { kind: 'over-budget', refusal };
    return { kind: 'admitted', question: { ...question, settings: place.answer } };
  }
}

// What a refusal is counted as; a full queue is counted where it is decided (see AdmissionDeps.telemetry).
function countedReason(admission: Admission): RefusalReason | null {
  switch (admission.kind) {
    case 'not-allowed':
      return `not_allowed_${admission.reason}`;
    case 'empty':
      return 'empty';
    case 'over-budget':
      return `over_budget_${admission.refusal.kind}`;
    case 'admitted':
    case 'queue-full':
      return null;
  }
}

/** What a question that was not admitted is told instead of an answer. */
export function admissionText(admission: Exclude<Admission, { kind: 'admitted' }>, now: number): string {
  switch (admission.kind) {
    case 'not-allowed':
      return accessText[admission.reason];
    case 'empty':
      return EMPTY_MENTION_HINT;
    case 'over-budget':
      return budgetRefusalText(admission.refusal, now);
    case 'queue-full':
      return admission.text;
  }
}

/**
 * Regenerate and Continue ask again: the queue and the budgets decide, like for a new question (the
 * question keeps the settings it was asked with). Resolves to why not, or null; the caller checks the
 * queue once more just before the run, as for a new question.
 */
export type RerunCheck = (question: Question, exempt: boolean) => Promise<string | null>;

export function createRerunCheck(
  deps: Pick<AdmissionDeps, 'budget' | 'queueRefusal' | 'logger' | 'telemetry'> & { readonly clock: Clock },
): RerunCheck {
  return async (question, exempt) => {
    const early = deps.queueRefusal(question);
    if (early !== null) return early;
    const refusal = await checkBudget(deps, question, exempt);
    if (refusal) deps.telemetry?.refused(`over_budget_${refusal.kind}`);
    return refusal ? budgetRefusalText(refusal, deps.clock.now()) : null;
  };
}

// A budget that cannot be read (storage down) does not stop the answer; the failure is logged. A
// refusal is logged here, for a new question and a Regenerate or Continue alike.
async function checkBudget(
  deps: Pick<AdmissionDeps, 'budget' | 'logger'>,
  question: Question,
  exempt: boolean,
): Promise<BudgetRefusal | null> {
  let refusal: BudgetRefusal | null;
  try {
    refusal = await deps.budget(question, exempt);
  } catch (error) {
    deps.logger.error({ err: error, channelId: question.channelId }, 'could not check the budgets; answering anyway');
    return null;
  }
  if (refusal) {
    const { kind, limit, used } = refusal;
    logRefusal(deps.logger, question, 'over-budget', { budget: kind, limit, used });
  }
  return refusal;
}
