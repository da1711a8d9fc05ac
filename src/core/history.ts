import type { ChatMessage } from './model.js';
import type { Exchange } from './conversation-store.js';

// Bounds what is sent to the model: at most `maxTurns` earlier exchanges and about `maxTokens` tokens
// in all; the oldest exchanges drop first, the new question always goes.

export interface HistoryLimits {
  readonly maxTurns: number;
  readonly maxTokens: number;
}

// About four characters a token for English text; a few tokens of framing per message.
const CHARS_PER_TOKEN = 4;
const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
}

export function buildMessages(history: readonly Exchange[], question: string, limits: HistoryLimits): ChatMessage[] {
  let budget = limits.maxTokens - estimateTokens(question);
  const kept: Exchange[] = [];
  for (let index = history.length - 1; index >= 0 && kept.length < limits.maxTurns; index -= 1) {
    const exchange = history[index];
    if (!exchange) break;
    budget -= estimateTokens(exchange.question) + estimateTokens(exchange.answer);
    if (budget < 0) break;
    kept.unshift(exchange);
  }
  return [
    ...kept.flatMap((exchange): ChatMessage[] => [
      { role: 'user', content: exchange.question },
      { role: 'assistant', content: exchange.answer },
    ]),
    { role: 'user', content: question },
  ];
}
