import type { Exchange } from '../ports/conversation-store.js';
import type { Question } from './question.js';

// Which earlier exchanges a question follows. A conversation is a chain, not simply the list: a
// question that replied to an older answer (a branch) follows that answer, and what came after it
// belongs to another line of the conversation. The chain starts at the exchange the question
// follows (its parentId, else the newest) and walks back through each exchange's parent, or the one
// stored before it when it has none (every exchange stored before branches existed); it stops where
// a link is gone (forgotten or deleted). The question's own exchange (Regenerate, Continue) is never
// part of what it follows.

/** The exchanges `question` follows, oldest first. */
export function conversationChain(
  history: readonly Exchange[],
  question: Pick<Question, 'id' | 'parentId'>,
): Exchange[] {
  const indexOf = new Map(history.map((exchange, index) => [exchange.id, index]));
  const chain: Exchange[] = [];
  const seen = new Set<number>();
  let index = question.parentId === undefined ? history.length - 1 : indexOf.get(question.parentId);
  // Each exchange at most once: a malformed store (a parent cycle) ends the walk instead of looping.
  while (index !== undefined && index >= 0 && !seen.has(index)) {
    seen.add(index);
    const exchange = history[index];
    if (exchange === undefined) break;
    if (exchange.id !== question.id) chain.push(exchange);
    index = exchange.parentId === undefined ? index - 1 : indexOf.get(exchange.parentId);
  }
  return chain.reverse();
}

/**
 * The exchange whose reply includes message `messageId`: a question replying to that message
 * continues from it (a branch). Undefined when the message is not part of a remembered answer.
 */
export function exchangeOfReply(history: readonly Exchange[], messageId: string): Exchange | undefined {
  return history.find((exchange) => exchange.replyIds?.includes(messageId) === true);
}
