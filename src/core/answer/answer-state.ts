import type { AnswerOutcome } from './answer-outcome.js';
import type { ProviderBlock, Source } from '../ports/model.js';
import type { MessageView } from '../reply/message-view.js';
import type { Question } from '../prompt/question.js';

// An answer's lifecycle: queued (its reply is posted, it waits for the channel), streaming (it holds
// the channel while Claude writes), ending (the reply shows the end, the exchange is stored), ended.
// The registry (answer-registry.ts) is the one module that moves an answer from one state to the next.

export type AnswerState = 'queued' | 'streaming' | 'ending' | 'ended';

/** What is kept of an ended answer: enough for Regenerate, Continue and taking its buttons away. */
export interface EndedAnswer {
  readonly question: Question;
  readonly outcome: AnswerOutcome;
  /** Everything answered, continuations included: what Continue goes on from. */
  readonly answerText: string;
  /** Where the platform finds the reply's messages again, in order. */
  readonly locators: readonly string[];
  /** What the reply's last message shows. */
  readonly lastView: MessageView | null;
  /** Until when the reply's messages can still be edited (epoch ms); null: no limit. */
  readonly editableUntil: number | null;
  /** Claude's blocks for the whole answer, sent back when it is continued. */
  readonly answerBlocks?: readonly ProviderBlock[];
  /** The pages it cites, in the order of their numbers: a continuation numbers on from them. */
  readonly sources?: readonly Source[];
  /** Claude's summarized thinking, for "Show reasoning" (kept in memory only, never stored). */
  readonly reasoning?: string;
}

/** An answer as buttons, /stop and deletions see it. */
export interface AnswerView {
  readonly question: Question;
  readonly state: AnswerState;
  /** Set once it has ended. */
  readonly ended: EndedAnswer | null;
}

/** One run of an answer, as the pipeline holds it to move it on. */
export type RunningAnswer = AnswerView;

// The moves the lifecycle allows; anything else is ignored (e.g. ending an answer twice).
export const NEXT: Record<AnswerState, readonly AnswerState[]> = {
  queued: ['streaming', 'ending', 'ended'],
  streaming: ['ending', 'ended'],
  ending: ['ended'],
  ended: [],
};
