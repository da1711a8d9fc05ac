import type { AbortReason } from './answer-outcome.js';
import type { AnswerRegistry } from './answer-registry.js';
import type { EndedAnswer } from './answer-state.js';
import type { ConversationWrites } from './conversation-writes.js';

// A deleted message and the conversation: the conversation keeps what the user saw, so an exchange
// whose question or reply is deleted goes. A running answer it belongs to stops (and stores nothing);
// the channel's latest answer, once ended, is forgotten with its exchange; any other deleted message
// may be the question of an older exchange (whose id is the question's message id) or a message of
// its reply (the exchange keeps their ids).

export const DELETED: AbortReason = { cause: 'deleted' };

export interface DeletionDeps {
  readonly registry: AnswerRegistry;
  readonly writes: ConversationWrites;
  /** Takes the buttons off an answer whose exchange is gone. */
  readonly takeButtonsAway: (answer: EndedAnswer) => void;
}

export function createDeletionHandler(deps: DeletionDeps): (channelId: string, messageId: string) => Promise<void> {
  return async (channelId, messageId) => {
    const answer = deps.registry.byMessage(messageId);
    if (!answer) return deps.writes.forgetMessage(channelId, messageId);
    const { question } = answer;
    if (answer.state !== 'ended') {
      // Running: it ends with a notice and stores nothing. While its end is being shown, the
      // pipeline sees the mark and removes what it stored.
      deps.registry.stop(question.id, DELETED);
      return;
    }
    const ended = deps.registry.forget(question.id);
    // The question went, the reply stays: its Regenerate and Continue would act on nothing.
    if (ended && messageId === question.id) deps.takeButtonsAway(ended);
    await deps.writes.forget(question.channelId, question.id);
  };
}
