import type { Exchange } from './conversation-store.js';
import { buildMessages } from './history.js';
import type { HistoryLimits } from './history.js';
import type { ChatMessage } from './model.js';
import type { Question } from './question.js';

// What is sent to Claude for one stream: the channel's history (without the exchange being
// regenerated or continued), the question, and for a continuation the answer so far and a request
// to go on from there.

export const CONTINUE_PROMPT =
  'Your previous answer was cut off at the length limit. Continue it exactly where it stopped, without repeating anything or adding a preamble.';

export function requestMessages(
  history: readonly Exchange[],
  question: Question,
  prior: string | undefined,
  limits: HistoryLimits,
): ChatMessage[] {
  const earlier = history.filter((exchange) => exchange.id !== question.id);
  const messages = buildMessages(earlier, question.text, limits);
  if (prior === undefined) return messages;
  return [...messages, { role: 'assistant', content: prior.trimEnd() }, { role: 'user', content: CONTINUE_PROMPT }];
}
