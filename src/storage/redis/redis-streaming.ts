import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { StreamingReplies, StreamingReply } from '../../core/ports/storage.js';
import type { RedisKeys } from './redis-keys.js';

// Streaming replies of every process in one hash, answer id → JSON, so that any process starting up
// can see the replies whose owner is gone.

const replySchema = z.object({
  answerId: z.string(),
  channelId: z.string(),
  locators: z.array(z.string()),
  owner: z.string(),
  startedAt: z.number(),
});

export function createRedisStreaming(redis: Redis, keys: RedisKeys): StreamingReplies {
  return {
    async put(reply) {
      const { answerId, channelId, locators, owner, startedAt } = reply;
      const json = JSON.stringify({ answerId, channelId, locators, owner, startedAt });
      await redis.hset(keys.streaming, answerId, json);
    },
    async remove(answerId) {
      await redis.hdel(keys.streaming, answerId);
    },
    async list() {
      const values = await redis.hvals(keys.streaming);
      return values
        .map((value): StreamingReply => replySchema.parse(JSON.parse(value)))
        .sort((a, b) => a.startedAt - b.startedAt || a.answerId.localeCompare(b.answerId));
    },
  };
}
