import type { AnswerJob } from './answer-job.js';
import type { Ending } from './answer-outcome.js';
import type { EndedAnswer } from './answer-state.js';
import type { ProviderBlock } from '../ports/model.js';

// What an ended answer keeps beyond its text: Claude's blocks (a Continue's after those of the answer
// it continues), the pages it cites and its reasoning.

/**
 * The blocks to store for the whole answer. A continuation joins its blocks to the prior answer's;
 * when either part has none (text only), none are kept: the text stands for the whole answer, as
 * blocks of one part alone would drop the other part's words.
 */
export function answerBlocks(
  job: Pick<AnswerJob, 'prior' | 'priorBlocks'>,
  ending: Ending,
): readonly ProviderBlock[] | undefined {
  const blocks = ending.blocks ?? [];
  if (blocks.length === 0) return undefined;
  if (job.prior === undefined) return blocks;
  const prior = job.priorBlocks ?? [];
  return prior.length === 0 ? undefined : [...prior, ...blocks];
}

/** What the registry keeps of the answer for Continue and Show reasoning. */
export function endedExtras(
  job: Pick<AnswerJob, 'prior' | 'priorBlocks'>,
  ending: Ending,
): Pick<EndedAnswer, 'answerBlocks' | 'sources' | 'reasoning'> {
  const blocks = answerBlocks(job, ending);
  return {
    ...(blocks ? { answerBlocks: blocks } : {}),
    ...(ending.sources && ending.sources.length > 0 ? { sources: ending.sources } : {}),
    ...(ending.reasoning ? { reasoning: ending.reasoning } : {}),
  };
}
