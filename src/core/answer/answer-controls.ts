import type { AnswerJob, AnswerReport, Started } from './answerer.js';
import type { AnswerLookup } from './answer-registry.js';
import type { AnswerView, EndedAnswer } from './answer-state.js';
import type { Caller } from '../commands/caller.js';
import type { Clock } from '../ports/clock.js';
import type { Question } from '../prompt/question.js';
import type { Control } from '../reply/message-view.js';
import type { ReplyReopener } from '../reply/reply-reopener.js';
import type { PostedMessage, ReplyTarget } from '../reply/reply-target.js';
import type { WriteBudgets } from '../reply/write-budgets.js';
import { controlText } from '../user-text.js';
import { reasoningMessages } from './reasoning-messages.js';

// What the buttons under an answer, and /stop, do. Only the person who asked, moderators and admins
// may use them; a button that no longer applies gets an explanation, never an error.

export type PressResult =
  | { readonly kind: 'refused'; readonly reason: string }
  /** Acted without posting anything new (the answer's own messages show the effect). */
  | { readonly kind: 'done' }
  /** Messages only the one who pressed may see (Show reasoning). */
  | { readonly kind: 'private'; readonly messages: readonly string[] }
  /** A new stream started; `inNewMessage` if it uses the target handed in (the press's own reply). */
  | { readonly kind: 'answering'; readonly inNewMessage: boolean; readonly answering: Promise<AnswerReport | null> };

export interface AnswerControls {
  press(control: Control, answerId: string, caller: Caller, pressTarget: () => ReplyTarget): Promise<PressResult>;
  /** /stop: stops the answer streaming in the channel now. */
  stopInChannel(channelId: string, caller: Caller): PressResult;
}

export interface AnswerControlsDeps {
  /** The answers, as far as buttons may see them. */
  readonly answers: AnswerLookup;
  /** Starts a stream unless its channel's queue is full (the answerer's start). */
  readonly start: (job: AnswerJob) => Started;
  /** Brings an ended answer's messages back, for Regenerate to reuse. */
  readonly reopen: ReplyReopener;
  readonly clock: Clock;
  /** Putting the placeholder back acknowledges the press: it takes a post's turn in the channel. */
  readonly budgets: WriteBudgets;
  /** Why a new run may not start now (budgets, queue caps); `exempt`: an admin pressed. None when absent. */
  readonly refusal?: (question: Question, exempt: boolean) => Promise<string | null>;
}

const refused = (reason: string): PressResult => ({ kind: 'refused', reason });

export function createAnswerControls(deps: AnswerControlsDeps): AnswerControls {
  const { answers } = deps;

  function stop(answer: AnswerView | undefined, caller: Caller): PressResult {
    if (answer?.state !== 'queued' && answer?.state !== 'streaming') return refused(controlText.finished);
    if (!mayControl(answer.question, caller)) return refused(controlText.notAllowedToStop);
    answers.stop(answer.question.id, { cause: 'stopped', by: caller.userId });
    return { kind: 'done' };
  }

  // Continue and Regenerate act on the channel's latest answer, once it has ended.
  function changeable(answer: AnswerView | undefined, caller: Caller): EndedAnswer | string {
    if (!answer) return controlText.unknownButton;
    if (!answers.isLatest(answer.question.id)) return controlText.notLatest;
    if (!answer.ended) return controlText.busy;
    if (!mayControl(answer.question, caller)) return controlText.notAllowed;
    return answer.ended;
  }

  // Anyone who sees the answer may read how Claude got there: it goes to them alone.
  function showReasoning(answer: AnswerView | undefined): PressResult {
    const reasoning = answer?.ended?.reasoning;
    if (!reasoning) return refused(controlText.reasoningGone);
    return { kind: 'private', messages: reasoningMessages(reasoning) };
  }

  function continueAnswer(ended: EndedAnswer, pressTarget: () => ReplyTarget): PressResult {
    if (ended.outcome !== 'max_tokens') return refused(controlText.notContinuable);
    const started = deps.start({
      question: ended.question,
      target: pressTarget(),
      prior: ended.answerText,
      ...(ended.answerBlocks ? { priorBlocks: ended.answerBlocks } : {}),
      ...(ended.sources ? { priorSources: ended.sources } : {}),
    });
    return 'refused' in started ? refused(started.refused) : { kind: 'answering', inNewMessage: true, ...started };
  }

  function regenerate(ended: EndedAnswer, pressTarget: () => ReplyTarget): PressResult {
    const reused = reuseMessages(ended, deps);
    const target = reused ?? pressTarget();
    const started = deps.start({ question: ended.question, target, reusesMessages: reused !== null });
    if ('refused' in started) return refused(started.refused);
    return { kind: 'answering', inNewMessage: reused === null, answering: started.answering };
  }

  return {
    async press(control, answerId, caller, pressTarget) {
      const answer = answers.get(answerId);
      if (control === 'stop') return stop(answer, caller);
      if (control === 'reasoning') return showReasoning(answer);
      const ended = changeable(answer, caller);
      if (typeof ended === 'string') return refused(ended);
      // A new run is a new request that waits like a new question: the same budgets and caps apply.
      const refusal = (await deps.refusal?.(ended.question, caller.isAdmin)) ?? null;
      if (refusal !== null) return refused(refusal);
      // Checked again: the answer may have changed while the budgets were read.
      const still = changeable(answers.get(answerId), caller);
      if (typeof still === 'string') return refused(still);
      return control === 'continue' ? continueAnswer(still, pressTarget) : regenerate(still, pressTarget);
    },
    stopInChannel(channelId, caller) {
      const answer = answers.holding(channelId);
      return answer ? stop(answer, caller) : refused(controlText.nothingStreaming);
    },
  };
}

function mayControl(question: Question, caller: Caller): boolean {
  return caller.userId === question.authorId || caller.isModerator || caller.isAdmin;
}

// Regenerate shows the new answer in the old one's first message (its other messages go) while
// that can still be edited; otherwise it answers in the press's own reply. What goes past the first
// message continues in the channel.
function reuseMessages(ended: EndedAnswer, deps: AnswerControlsDeps): ReplyTarget | null {
  const { reopen, clock, budgets } = deps;
  const [first, ...rest] = ended.locators;
  const { editableUntil, question } = ended;
  if (first === undefined || (editableUntil !== null && clock.now() >= editableUntil)) return null;
  const firstMessage = reopen.message(first, question.id);
  return {
    channelId: question.channelId,
    ...(editableUntil === null ? {} : { deadline: { at: editableUntil, continuesAfterDeadline: true } }),
    async start(placeholder): Promise<PostedMessage> {
      await budgets.for(firstMessage.budgetKey).acquire('post');
      await firstMessage.edit(placeholder);
      await Promise.all(
        rest.map((locator) =>
          reopen
            .message(locator, question.id)
            .delete()
            .catch(() => undefined),
        ),
      );
      return firstMessage;
    },
    followUp: (view) => reopen.followUp(question.channelId, view, question.id, first),
  };
}
