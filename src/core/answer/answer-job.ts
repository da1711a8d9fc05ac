import type { ProviderBlock, Source } from '../ports/model.js';
import type { Question } from '../prompt/question.js';
import type { ReplyTarget } from '../reply/reply-target.js';

/** One stream: a new question, a regenerated answer, or the continuation of one. */
export interface AnswerJob {
  readonly question: Question;
  readonly target: ReplyTarget;
  /** What was answered before this stream, which it continues. */
  readonly prior?: string;
  /** The blocks of the answer it continues (sent back as the assistant's turn), when it had any. */
  readonly priorBlocks?: readonly ProviderBlock[];
  /** The pages the answer it continues cites: its numbering goes on from them. */
  readonly priorSources?: readonly Source[];
  /** The target reuses the messages of the answer it replaces. */
  readonly reusesMessages?: boolean;
}
