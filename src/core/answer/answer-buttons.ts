import type { AnswerOutcome } from './answer-outcome.js';
import type { EndedAnswer } from './answer-state.js';
import type { WriteBudgets } from '../reply/write-budgets.js';
import type { Logger } from '../ports/logger.js';
import type { Question } from '../prompt/question.js';
import { view } from '../reply/message-view.js';
import type { Control } from '../reply/message-view.js';
import type { ReplyReopener } from '../reply/reply-reopener.js';

// Which buttons an ended answer keeps, and taking them away once they no longer apply: a newer
// answer superseded it, its question was deleted, or the conversation was reset.

/** Buttons only on a remembered answer that is still its channel's latest; Show reasoning when it thought. */
export function endControls(
  question: Question,
  outcome: AnswerOutcome,
  isLatest: boolean,
  hasReasoning = false,
): Control[] {
  if (!question.remember || !isLatest) return [];
  if (outcome === 'deleted' || outcome === 'interrupted') return [];
  const controls: Control[] = outcome === 'max_tokens' ? ['continue', 'regenerate'] : ['regenerate'];
  return hasReasoning ? [...controls, 'reasoning'] : controls;
}

/** Shows the answer's last message as it is, without its buttons. */
export function takeControlsAway(
  answer: EndedAnswer,
  reopen: ReplyReopener,
  budgets: WriteBudgets,
  logger: Logger,
): void {
  const locator = answer.locators.at(-1);
  const shown = answer.lastView;
  if (locator === undefined || !shown || shown.controls.length === 0) return;
  const last = reopen.message(locator, answer.question.id);
  budgets
    .for(last.budgetKey)
    .acquire('edit')
    .then(() => last.edit(view(shown.content)))
    .catch((error: unknown) => logger.warn({ err: error }, 'could not remove old buttons'));
}
