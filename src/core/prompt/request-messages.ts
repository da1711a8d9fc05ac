import type { Exchange } from '../ports/conversation-store.js';
import { asMessages, asParts, pickHistory } from './history.js';
import { conversationChain } from './conversation-chain.js';
import type { HistoryLimits } from './history.js';
import type { Logger } from '../ports/logger.js';
import type { ChatMessage, ChatModel, ContentPart, ModelRequest, ProviderBlock } from '../ports/model.js';
import type { Question } from './question.js';
import type { TokenEstimator } from './token-estimator.js';
import { estimateContent } from './content-size.js';
import { questionContent } from './question-content.js';

// What is sent to Claude for one stream: the exchanges the question follows (conversation-chain.ts:
// its branch, without the exchange being regenerated or continued) within the token budget, the question, and for a continuation the
// answer so far and a request to go on from there.

export const CONTINUE_PROMPT =
  'Your previous answer was cut off at the length limit. Continue it exactly where it stopped, without repeating anything or adding a preamble.';

// Below this share of the budget the estimate is trusted; above it an exact count decides.
const CHECK_SHARE = 0.8;

export interface RequestContext {
  readonly system: string | undefined;
  /** The model that will answer (its tokenizer counts); the adapter's default when undefined. */
  readonly modelName?: string | undefined;
  readonly limits: HistoryLimits;
  readonly estimator: TokenEstimator;
  readonly model: ChatModel;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Claude's blocks of the answer a continuation goes on from, sent back instead of its text. */
  readonly priorBlocks?: readonly ProviderBlock[] | undefined;
  /** The question's files, read (question-files.ts): they go before its text. */
  readonly questionParts?: readonly ContentPart[] | undefined;
}

export async function requestMessages(
  history: readonly Exchange[],
  question: Question,
  prior: string | undefined,
  context: RequestContext,
): Promise<ChatMessage[]> {
  const earlier = conversationChain(history, question);
  const tail = tailMessages(questionContent(question.text, context.questionParts ?? []), prior, context.priorBlocks);
  const fixedTokens = estimateRequest(context, tail);
  let kept = pickHistory(earlier, fixedTokens, context.limits, context.estimator);
  let messages = [...asMessages(kept), ...tail];
  if (estimateRequest(context, messages) < CHECK_SHARE * context.limits.maxTokens) return messages;

  // Near the budget: count exactly, dropping the oldest exchanges until the request fits.
  while (kept.length > 0 && (await countOrEstimate(messages, context)) > context.limits.maxTokens) {
    kept = kept.slice(1);
    messages = [...asMessages(kept), ...tail];
  }
  return messages;
}

function estimateRequest(context: RequestContext, messages: readonly ChatMessage[]): number {
  const system = context.system ? context.estimator.estimate(context.system) : 0;
  return messages.reduce((sum, message) => sum + estimateContent(context.estimator, message.content), system);
}

function tailMessages(
  question: ChatMessage['content'],
  prior: string | undefined,
  priorBlocks: readonly ProviderBlock[] | undefined,
): ChatMessage[] {
  const asked: ChatMessage = { role: 'user', content: question };
  if (prior === undefined) return [asked];
  // Claude's own blocks go back as they came (thinking signatures included); text only otherwise.
  const answered = priorBlocks && priorBlocks.length > 0 ? asParts(priorBlocks) : prior.trimEnd();
  return [asked, { role: 'assistant', content: answered }, { role: 'user', content: CONTINUE_PROMPT }];
}

async function countOrEstimate(messages: ChatMessage[], context: RequestContext): Promise<number> {
  const request: Omit<ModelRequest, 'maxTokens'> = { model: context.modelName, system: context.system, messages };
  try {
    return await context.model.countTokens(request, context.signal);
  } catch (error) {
    context.signal.throwIfAborted();
    context.logger.warn({ err: error }, 'token count failed; trusting the estimate');
    return estimateRequest(context, messages);
  }
}
