import type { AnswerOutcome } from './answer-outcome.js';
import { recordUsage } from '../budget/usage-recorder.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { TokenUsage } from '../ports/model.js';
import type { Storage } from '../ports/storage.js';
import type { Question } from '../prompt/question.js';

// What an answer writes when it ends: its exchange (or its removal) and its tokens. A storage
// failure is logged, never thrown: the reply already shows the answer, and that stays true.

export interface ConversationWrites {
  /** Stores the exchange as the user saw it: nothing of one whose message was deleted, or that is empty. */
  remember(question: Question, answerText: string, outcome: AnswerOutcome): Promise<void>;
  /** Removes one exchange from its channel's conversation. */
  forget(channelId: string, exchangeId: string): Promise<void>;
  countUsage(question: Question, usage: TokenUsage): Promise<void>;
}

export function createConversationWrites(deps: {
  readonly storage: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
}): ConversationWrites {
  const { storage, logger } = deps;

  async function forget(channelId: string, exchangeId: string): Promise<void> {
    try {
      await storage.conversations.remove(channelId, exchangeId);
    } catch (error) {
      logger.error({ err: error, channelId }, 'could not remove an exchange');
    }
  }

  return {
    async remember(question, answerText, outcome) {
      if (!question.remember) return;
      if (outcome === 'deleted' || answerText.trim() === '') return forget(question.channelId, question.id);
      try {
        const exchange = { id: question.id, question: question.text, answer: answerText };
        await storage.conversations.upsert(question.channelId, exchange);
      } catch (error) {
        logger.error({ err: error, channelId: question.channelId }, 'could not store the exchange');
      }
    },
    forget,
    async countUsage(question, usage) {
      try {
        await recordUsage(storage.usage, question, usage, deps.clock.now());
      } catch (error) {
        logger.warn({ err: error, channelId: question.channelId }, 'could not count token usage');
      }
    },
  };
}
