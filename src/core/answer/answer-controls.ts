import type { Answerer, AnswerReport } from './answerer.js';
import type { AnswerRecord } from './answer-registry.js';
import type { Caller } from '../commands/caller.js';
import type { Clock } from '../ports/clock.js';
import type { Control } from '../reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../reply/reply-target.js';
import type { WriteBudgets } from '../reply/write-budgets.js';
import { controlText } from '../user-text.js';

// What the buttons under an answer, and /stop, do. Only the person who asked, moderators and admins
// may use them; a button that no longer applies gets an explanation, never an error.

export type PressResult =
  | { readonly kind: 'refused'; readonly reason: string }
  /** Acted without posting anything new (the answer's own messages show the effect). */
  | { readonly kind: 'done' }
  /** A new stream started; `inNewMessage` if it uses the target handed in (the press's own reply). */
  | { readonly kind: 'answering'; readonly inNewMessage: boolean; readonly answering: Promise<AnswerReport | null> };

export interface AnswerControls {
  press(control: Control, answerId: string, caller: Caller, pressTarget: () => ReplyTarget): PressResult;
  /** /stop: stops the answer streaming in the channel now. */
  stopInChannel(channelId: string, caller: Caller): PressResult;
}

const refused = (reason: string): PressResult => ({ kind: 'refused', reason });

export function createAnswerControls(answerer: Answerer, clock: Clock, budgets: WriteBudgets): AnswerControls {
  const { registry } = answerer;

  function stop(record: AnswerRecord | undefined, caller: Caller): PressResult {
    if (!record?.running) return refused(controlText.finished);
    if (!mayControl(record, caller)) return refused(controlText.notAllowedToStop);
    record.controller.abort({ cause: 'stopped', by: caller.userId });
    return { kind: 'done' };
  }

  // Continue and Regenerate act on the channel's latest answer, once it has ended.
  function checkChangeable(record: AnswerRecord | undefined, caller: Caller): string | null {
    if (!record) return controlText.unknownButton;
    if (!registry.isLatest(record)) return controlText.notLatest;
    if (record.running) return controlText.busy;
    if (!mayControl(record, caller)) return controlText.notAllowed;
    return null;
  }

  function continueAnswer(record: AnswerRecord, pressTarget: () => ReplyTarget): PressResult {
    if (record.outcome !== 'max_tokens') return refused(controlText.notContinuable);
    const answering = answerer.run({ question: record.question, target: pressTarget(), prior: record.answerText });
    return { kind: 'answering', inNewMessage: true, answering };
  }

  function regenerate(record: AnswerRecord, pressTarget: () => ReplyTarget): PressResult {
    const reused = reuseMessages(record, clock, budgets);
    const target = reused ?? pressTarget();
    const answering = answerer.run({ question: record.question, target, reusesMessages: reused !== null });
    return { kind: 'answering', inNewMessage: reused === null, answering };
  }

  return {
    press(control, answerId, caller, pressTarget) {
      const record = registry.get(answerId);
      if (control === 'stop') return stop(record, caller);
      const refusal = checkChangeable(record, caller);
      if (refusal !== null || !record) return refused(refusal ?? controlText.unknownButton);
      return control === 'continue' ? continueAnswer(record, pressTarget) : regenerate(record, pressTarget);
    },
    stopInChannel(channelId, caller) {
      const record = registry.streamingIn(channelId);
      return record ? stop(record, caller) : refused(controlText.nothingStreaming);
    },
  };
}

function mayControl(record: AnswerRecord, caller: Caller): boolean {
  return caller.userId === record.question.authorId || caller.isModerator || caller.isAdmin;
}

// Regenerate shows the new answer in the old one's first message (its other messages go) while
// those can still be edited; otherwise it answers in the press's own reply. Putting the placeholder
// back acknowledges the press, so it goes out as a post; the target budgets its deletions.
function reuseMessages(record: AnswerRecord, clock: Clock, budgets: WriteBudgets): ReplyTarget | null {
  const [first, ...rest] = record.messages;
  const deadline = record.target.deadline;
  if (!first || (deadline && clock.now() >= deadline.at)) return null;
  return {
    ...record.target,
    async start(placeholder): Promise<PostedMessage> {
      await budgets.for(first.budgetKey).acquire('post');
      await first.edit(placeholder);
      await Promise.all(rest.map((message) => message.delete().catch(() => undefined)));
      return first;
    },
  };
}
