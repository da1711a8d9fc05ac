import type { AnswerOutcome } from './answer-outcome.js';
import { recordUsage } from '../budget/usage-recorder.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ProviderBlock, TokenUsage } from '../ports/model.js';
import type { Exchange } from '../ports/conversation-store.js';
import type { Storage } from '../ports/storage.js';
import type { Question } from '../prompt/question.js';
import { questionForHistory } from '../prompt/question-content.js';

// What an answer writes when it ends: its exchange (or its removal) and its tokens. A storage
// failure is logged, never thrown: the reply already shows the answer, and that stays true.

/** What an exchange keeps of its answer. */
export interface RememberedAnswer {
  /** As the user saw it. */
  readonly text: string;
  /** As Claude returned it, when it is more than text (see Exchange.answerBlocks). */
  readonly blocks?: readonly ProviderBlock[] | undefined;
  /** The ids of the reply's messages. */
  readonly replyIds?: readonly string[] | undefined;
  /** The names of the question's files that went to Claude: the question keeps a marker for each. */
  readonly attached?: readonly string[] | undefined;
}

export interface ConversationWrites {
  /** Stores the exchange as the user saw it: nothing of one whose message was deleted, or that is empty. */
  remember(question: Question, answer: RememberedAnswer, outcome: AnswerOutcome): Promise<void>;
  /** Removes one exchange from its channel's conversation. */
  forget(channelId: string, exchangeId: string): Promise<void>;
  /** Removes the exchange a deleted message belonged to: its question, or any message of its reply. */
  forgetMessage(channelId: string, messageId: string): Promise<void>;
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
    async remember(question, answer, outcome) {
      if (!question.remember) return;
      if (outcome === 'deleted' || answer.text.trim() === '') return forget(question.channelId, question.id);
      try {
        await storage.conversations.upsert(question.channelId, toExchange(question, answer));
      } catch (error) {
        logger.error({ err: error, channelId: question.channelId }, 'could not store the exchange');
      }
    },
    forget,
    async forgetMessage(channelId, messageId) {
      try {
        const history = await storage.conversations.load(channelId);
        const gone = history.find((exchange) => exchange.id === messageId || exchange.replyIds?.includes(messageId));
        if (gone) await storage.conversations.remove(channelId, gone.id);
      } catch (error) {
        logger.error({ err: error, channelId }, 'could not remove an exchange');
      }
    },
    async countUsage(question, usage) {
      try {
        await recordUsage(storage.usage, question, usage, deps.clock.now());
      } catch (error) {
        logger.warn({ err: error, channelId: question.channelId }, 'could not count token usage');
      }
    },
  };
}

function toExchange(question: Question, answer: RememberedAnswer): Exchange {
  const { blocks, replyIds } = answer;
  return {
    id: question.id,
    question: questionForHistory(question.text, answer.attached),
    answer: answer.text,
    ...(blocks && blocks.length > 0 ? { answerBlocks: blocks } : {}),
    ...(question.parentId === undefined ? {} : { parentId: question.parentId }),
    ...(replyIds && replyIds.length > 0 ? { replyIds } : {}),
  };
}
