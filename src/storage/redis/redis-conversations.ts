import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ConversationStore, Exchange } from '../../core/ports/conversation-store.js';
import type { RedisKeys } from './redis-keys.js';
import { transactionResults } from './transaction-results.js';

// A channel's conversation is one list of JSON exchanges, oldest first. Every write refreshes its
// expiry, so a channel nobody talks in any more frees its memory on its own.

// Optional fields are left out of the JSON when absent (and of the exchange read back).
const exchangeSchema = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.string(),
  answerBlocks: z.array(z.record(z.string(), z.unknown())).optional(),
  parentId: z.string().optional(),
  replyIds: z.array(z.string()).optional(),
});

export interface RedisConversationsOptions {
  readonly keep: number;
  readonly ttlSeconds: number;
}

export function createRedisConversations(
  redis: Redis,
  keys: RedisKeys,
  options: RedisConversationsOptions,
): ConversationStore {
  const keep = Math.max(1, options.keep);
  const ttlSeconds = Math.max(1, Math.ceil(options.ttlSeconds));
  return {
    async load(channelId) {
      const items = await redis.lrange(keys.conversation(channelId), 0, -1);
      return items.map((item): Exchange => withoutUndefined(exchangeSchema.parse(JSON.parse(item))));
    },
    async upsert(channelId, exchange) {
      const { id, question, answer, answerBlocks, parentId, replyIds } = exchange;
      const json = JSON.stringify({ id, question, answer, answerBlocks, parentId, replyIds });
      await redis.streamcordUpsertExchange(keys.conversation(channelId), id, json, keep, ttlSeconds);
    },
    async remove(channelId, id) {
      await redis.streamcordRemoveExchange(keys.conversation(channelId), id, ttlSeconds);
    },
    async clear(channelId) {
      const key = keys.conversation(channelId);
      const replies = await redis.multi().llen(key).del(key).exec();
      const [length] = transactionResults(replies);
      return Number(length);
    },
  };
}

function withoutUndefined(parsed: z.infer<typeof exchangeSchema>): Exchange {
  const { id, question, answer, answerBlocks, parentId, replyIds } = parsed;
  return {
    id,
    question,
    answer,
    ...(answerBlocks === undefined ? {} : { answerBlocks }),
    ...(parentId === undefined ? {} : { parentId }),
    ...(replyIds === undefined ? {} : { replyIds }),
  };
}
