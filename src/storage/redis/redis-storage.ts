import { Redis } from 'ioredis';
import type { Logger } from '../../core/ports/logger.js';
import type { Storage } from '../../core/ports/storage.js';
import { subscribeLockReleases } from './lock-releases.js';
import { createRedisConversations } from './redis-conversations.js';
import { redisKeys } from './redis-keys.js';
import { createRedisLocks } from './redis-locks.js';
import { createRedisRequests } from './redis-requests.js';
import { defineStorageScripts } from './redis-scripts.js';
import { createRedisSettings } from './redis-settings.js';
import { createRedisStreaming } from './redis-streaming.js';
import { createRedisUsage } from './redis-usage.js';

// Everything in Redis, shared by every process of the bot: conversations, counters and rankings,
// request windows, settings, streaming replies and the per-channel locks that keep two processes
// from answering in one channel at once.

export interface RedisStorageOptions {
  /** e.g. redis://127.0.0.1:6379/0 */
  readonly url: string;
  readonly keyPrefix?: string;
  /** Exchanges kept per channel, newest last. */
  readonly keep: number;
  /** A conversation nobody writes to for this long is forgotten. */
  readonly conversationTtlSeconds: number;
  /** How long a dead holder can block a channel. */
  readonly leaseMs?: number;
  readonly logger?: Logger;
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Connects (rejecting if Redis cannot be reached) and subscribes to lock releases. */
export async function createRedisStorage(options: RedisStorageOptions): Promise<Storage> {
  const logger = options.logger ?? silent;
  const keys = redisKeys(options.keyPrefix ?? 'streamcord:');
  const { redis, subscriber } = await openConnections(options.url, logger);
  defineStorageScripts(redis);
  const releases = await subscribeLockReleases(subscriber, keys.lockReleased).catch((error: unknown) => {
    redis.disconnect();
    subscriber.disconnect();
    throw error;
  });
  const locks = createRedisLocks(redis, keys, releases, { leaseMs: options.leaseMs ?? 30_000, logger });

  let closed: Promise<void> | undefined;
  const close = async () => {
    await locks.releaseAll();
    await Promise.all([subscriber.quit(), redis.quit()]);
  };
  return {
    conversations: createRedisConversations(redis, keys, {
      keep: options.keep,
      ttlSeconds: options.conversationTtlSeconds,
    }),
    usage: createRedisUsage(redis, keys),
    requests: createRedisRequests(redis, keys),
    settings: createRedisSettings(redis, keys, (scope, error) =>
      logger.warn({ scope, err: error }, 'Stored settings are not valid; reading them as nothing set'),
    ),
    streaming: createRedisStreaming(redis, keys),
    locks,
    // While ioredis reconnects it holds commands back, so a PING may wait: the caller bounds the wait.
    ping: async () => void (await redis.ping()),
    close: () => (closed ??= close()),
  };
}

// Two connections: a subscribed connection can send nothing but (un)subscriptions.
async function openConnections(url: string, logger: Logger): Promise<{ redis: Redis; subscriber: Redis }> {
  const redis = await connect(new Redis(url, { lazyConnect: true }), logger);
  try {
    return { redis, subscriber: await connect(redis.duplicate(), logger) };
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

// ioredis reconnects forever on its own; a connection that fails at start is given up instead, so a
// misconfigured URL stops the bot at once, with the reason (the socket's error, not "Connection is
// closed"). The URL is left out of the message: it may carry a password.
async function connect(client: Redis, logger: Logger): Promise<Redis> {
  let firstError: unknown;
  const onConnectError = (error: unknown) => (firstError ??= error);
  client.on('error', onConnectError);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const cause = firstError ?? error;
    throw new Error(`Cannot connect to Redis: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    client.off('error', onConnectError);
  }
  client.on('error', (error: unknown) => logger.warn({ err: error }, 'Redis connection error'));
  return client;
}
