import type { AnswerTimeline } from './fakes-protocol.js';

// When each answer's turn began. Answers in one channel take turns (one streams at a time), so an
// answer asked together with others waits for the ones before it; that wait is the queue's, not
// the bot's overhead. A turn begins at the mention, or when the answer before it in the channel
// ended (its whole text visible), whichever is later: what the bot does between the two answers
// (hearing back about the final edit, handing the channel on, asking the model) stays counted.

/** The end of an answer as the channel saw it: whole, or given up on, or at least its message_stop. */
function endOf(answer: AnswerTimeline): number {
  return answer.completeAt ?? answer.givenUpAt ?? answer.stopAt ?? Number.NaN;
}

/** Per answer, in the order given: when its turn in its channel began (fakes' clock). */
export function turnStarts(answers: readonly AnswerTimeline[]): number[] {
  const byTurn = [...answers].sort((a, b) => (a.requestAt ?? Infinity) - (b.requestAt ?? Infinity));
  const previousEnd = new Map<number, number>();
  const starts = new Map<AnswerTimeline, number>();
  for (const answer of byTurn) {
    const before = previousEnd.get(answer.channelIndex);
    starts.set(answer, before === undefined ? answer.mentionAt : Math.max(answer.mentionAt, before));
    previousEnd.set(answer.channelIndex, endOf(answer));
  }
  return answers.map((answer) => starts.get(answer) ?? answer.mentionAt);
}
