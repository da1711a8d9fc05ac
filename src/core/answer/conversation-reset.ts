import type { AnswerRegistry } from './answer-registry.js';
import type { EndedAnswer } from './answer-state.js';
import type { Logger } from '../ports/logger.js';
import type { Storage } from '../ports/storage.js';

// /reset: clears a channel's conversation in the channel's turn, like an answer. An answer streaming
// (or waiting) when the reset was asked ends first and stores its exchange, and the reset then drops
// it too: the next question really starts fresh. The channel's latest answer is forgotten and loses
// its buttons, so Regenerate or Continue cannot bring the old conversation back.

export interface ConversationReset {
  /** An answer of the channel is under way: a clear waits for it. */
  busy(channelId: string): boolean;
  /** Clears once the answers asked before have ended; resolves to how many exchanges were dropped. */
  clear(channelId: string): Promise<number>;
}

export interface ConversationResetDeps {
  readonly storage: Storage;
  readonly registry: AnswerRegistry;
  readonly logger: Logger;
  readonly takeButtonsAway: (answer: EndedAnswer) => void;
}

export function createConversationReset(deps: ConversationResetDeps): ConversationReset {
  return {
    busy: (channelId) => deps.registry.busy(channelId),
    async clear(channelId) {
      // Nothing cancels a reset: it waits for as long as the answers before it take.
      const lease = await deps.storage.locks.acquire(channelId, new AbortController().signal);
      try {
        const dropped = await deps.storage.conversations.clear(channelId);
        const latest = deps.registry.forgetLatest(channelId);
        if (latest) deps.takeButtonsAway(latest);
        return dropped;
      } finally {
        await lease.release().catch((error: unknown) => {
          deps.logger.warn({ err: error, channelId }, 'could not release the channel');
        });
      }
    },
  };
}
