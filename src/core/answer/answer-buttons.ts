import type { AnswerOutcome } from './answer-outcome.js';
import type { AnswerRecord } from './answer-registry.js';
import type { Logger } from '../ports/logger.js';
import { view } from '../reply/message-view.js';
import type { Control } from '../reply/message-view.js';
import type { WriteBudgets } from '../reply/write-budgets.js';

// Which buttons an ended answer keeps, and taking them away once a newer answer supersedes it.

/** Buttons only on a remembered answer that is still its channel's latest. */
export function endControls(record: AnswerRecord, outcome: AnswerOutcome, isLatest: boolean): Control[] {
  if (!record.question.remember || !isLatest) return [];
  if (outcome === 'deleted' || outcome === 'interrupted') return [];
  return outcome === 'max_tokens' ? ['continue', 'regenerate'] : ['regenerate'];
}

/**
 * A newer answer took over the channel: the older one's Regenerate/Continue no longer apply. The edit
 * takes its turn in the channel's budget like any intermediate edit.
 */
export function takeControlsAway(record: AnswerRecord, budgets: WriteBudgets, logger: Logger): void {
  const last = record.messages.at(-1);
  const shown = record.lastView;
  if (!last || !shown || shown.controls.length === 0) return;
  budgets
    .for(last.budgetKey)
    .acquire('edit')
    .then(() => last.edit(view(shown.content)))
    .catch((error: unknown) => logger.warn({ err: error }, 'could not remove old buttons'));
}
