import type { Exchange } from '../ports/conversation-store.js';
import type { ChatMessage, ContentPart, ProviderBlock } from '../ports/model.js';
import { estimateContent } from './content-size.js';
import type { TokenEstimator } from './token-estimator.js';

// Picks what is sent to the model: at most `maxTurns` earlier exchanges and, by estimate, at most
// `maxTokens` tokens with the system prompt and the new question; the oldest exchanges drop first,
// the question always goes.

export interface HistoryLimits {
  readonly maxTurns: number;
  readonly maxTokens: number;
}

export function pickHistory(
  history: readonly Exchange[],
  fixedTokens: number,
  limits: HistoryLimits,
  estimator: TokenEstimator,
): Exchange[] {
  let budget = limits.maxTokens - fixedTokens;
  const kept: Exchange[] = [];
  for (let index = history.length - 1; index >= 0 && kept.length < limits.maxTurns; index -= 1) {
    const exchange = history[index];
    if (!exchange) break;
    // An answer whose blocks don't fit (a web search's results run to thousands of tokens) goes as
    // the text the user saw, markers and sources included, rather than not at all.
    const fitting = [exchange, asText(exchange)].find((form) => cost(form, estimator) <= budget);
    if (!fitting) break;
    budget -= cost(fitting, estimator);
    kept.unshift(fitting);
  }
  return kept;
}

function cost(exchange: Exchange, estimator: TokenEstimator): number {
  return estimator.estimate(exchange.question) + estimateContent(estimator, answerContent(exchange));
}

function asText(exchange: Exchange): Exchange {
  const { answerBlocks: _blocks, ...text } = exchange;
  return text;
}

export function asMessages(exchanges: readonly Exchange[]): ChatMessage[] {
  return exchanges.flatMap((exchange): ChatMessage[] => [
    { role: 'user', content: exchange.question },
    { role: 'assistant', content: answerContent(exchange) },
  ]);
}

/** Claude's blocks as message parts, sent back unchanged. */
export function asParts(blocks: readonly ProviderBlock[]): ContentPart[] {
  return blocks.map((block) => ({ type: 'provider', block }));
}

// The answer as Claude returned it when its blocks were kept (the API needs thinking and tool blocks
// back as they came), else as the user saw it.
function answerContent(exchange: Exchange): ChatMessage['content'] {
  const blocks = exchange.answerBlocks;
  return blocks && blocks.length > 0 ? asParts(blocks) : exchange.answer;
}
