import { createStreamSplitter } from '../reply/stream-splitter.js';
import { reasoningText } from '../user-text.js';

// "Show reasoning" sends Claude's summarized thinking privately, as messages that each fit the
// platform's limit (split like an answer: paragraphs, code fences). Very long reasoning is cut after
// a few messages: the private replies to one press should not flood the one who asked.

const MAX_MESSAGES = 5;

export function reasoningMessages(reasoning: string, limit?: number): string[] {
  const pieces = createStreamSplitter(limit).final(`${reasoningText.heading}\n${reasoning.trim()}`);
  if (pieces.length <= MAX_MESSAGES) return pieces;
  return [...pieces.slice(0, MAX_MESSAGES), reasoningText.truncated];
}
