import type { Question } from '../prompt/question.js';
import type { ReplyTarget } from '../reply/reply-target.js';

/** One stream: a new question, a regenerated answer, or the continuation of one. */
export interface AnswerJob {
  readonly question: Question;
  readonly target: ReplyTarget;
  /** What was answered before this stream, which it continues. */
  readonly prior?: string;
  /** The target reuses the messages of the answer it replaces. */
  readonly reusesMessages?: boolean;
}
