import type { ConversationStore } from '../ports/conversation-store.js';
import type { Logger } from '../ports/logger.js';
import type { Question } from '../prompt/question.js';

// The ids of an answer's messages, kept with its exchange so that a reply to any of them finds it
// (a branch). A continuation (Continue) posts new messages for an answer that has some already: the
// exchange keeps both, or a reply to the first part would no longer find the answer it shows.

export async function replyIdsOf(
  deps: { readonly conversations: Pick<ConversationStore, 'load'>; readonly logger: Logger },
  question: Question,
  continued: boolean,
  posted: readonly { readonly id: string }[],
): Promise<string[]> {
  const ids = posted.map((message) => message.id);
  if (!continued) return ids;
  try {
    const stored = (await deps.conversations.load(question.channelId)).find((exchange) => exchange.id === question.id);
    return [...new Set([...(stored?.replyIds ?? []), ...ids])];
  } catch (error) {
    deps.logger.warn({ err: error, channelId: question.channelId }, 'could not read the answer’s earlier messages');
    return ids;
  }
}
