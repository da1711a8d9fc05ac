import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ChannelLease, Storage } from '../../src/core/ports/storage.js';
import { redisKeys } from '../../src/storage/redis/redis-keys.js';
import type { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import { freePort } from './free-port.js';

// What the Redis storage adds to the contract: leases that outlive no holder, expiring
// conversations, and locks shared by processes (here: separate storages, each with its own
// connections).

const LEASE_MS = 300;
const TTL_SECONDS = 3600;

let keyPrefix: string;
let keys: RedisKeys;
let raw: Redis;
const opened: Storage[] = [];

const open = async (leaseMs = LEASE_MS) => {
  const storage = await createRedisStorage({
    url: inject('redisUrl'),
    keyPrefix,
    keep: 10,
    conversationTtlSeconds: TTL_SECONDS,
    leaseMs,
  });
  opened.push(storage);
  return storage;
};

const never = () => new AbortController().signal;

beforeEach(() => {
  keyPrefix = `streamcord-test:${randomUUID()}:`;
  keys = redisKeys(keyPrefix);
  raw = new Redis(inject('redisUrl'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
  await raw.quit();
});

describe('Redis storage', () => {
  it('lets the next holder in once a dead holder’s lease runs out', async () => {
    const storage = await open();
    // A holder that took the lock and died: nobody renews or releases it.
    await raw.set(keys.lock('c1'), 'dead-holder', 'PX', LEASE_MS);
    const started = performance.now();
    const lease = await storage.locks.acquire('c1', never());
    const waited = performance.now() - started;
    expect(await raw.get(keys.lock('c1'))).not.toBe('dead-holder');
    // It waited for the expiry, and not much longer.
    expect(waited).toBeGreaterThan(LEASE_MS / 2);
    expect(waited).toBeLessThan(LEASE_MS + 400);
    await lease.release();
  });

  it('keeps renewing a living holder’s lease, so a waiter stays out past the lease', async () => {
    const holderStorage = await open();
    const waiterStorage = await open();
    const holder = await holderStorage.locks.acquire('c1', never());
    let waiterAcquired = false;
    const waiter = waiterStorage.locks.acquire('c1', never()).then((lease) => {
      waiterAcquired = true;
      return lease;
    });
    // Four renewals (one per third of a lease) span more than a whole lease.
    await renewals(keys.lock('c1'), 4);
    expect(waiterAcquired).toBe(false);
    await holder.release();
    await (await waiter).release();
  });

  it('frees the leases a storage holds when it closes', async () => {
    const closing = await open(30_000);
    const other = await open(30_000);
    await closing.locks.acquire('c1', never());
    const waiter = other.locks.acquire('c1', never());
    const started = performance.now();
    await closing.close();
    const lease = await waiter;
    // Well before the 30 s lease could have run out.
    expect(performance.now() - started).toBeLessThan(5_000);
    await lease.release();
  });

  it('never lets two processes hold one channel at once', async () => {
    const processes = [await open(), await open()];
    let holding = 0;
    let mostAtOnce = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const storage = processes[index % 2];
        if (!storage) throw new Error('no storage');
        const lease: ChannelLease = await storage.locks.acquire('c1', never());
        holding += 1;
        mostAtOnce = Math.max(mostAtOnce, holding);
        await storage.usage.add('work', { input: 1, output: 0, cacheRead: 0, cacheCreation: 0 });
        holding -= 1;
        await lease.release();
      }),
    );
    expect(mostAtOnce).toBe(1);
    expect((await processes[0]?.usage.get('work'))?.input).toBe(20);
  });

  it('sets the conversation’s expiry and refreshes it on every write', async () => {
    const storage = await open();
    const key = keys.conversation('c1');
    await storage.conversations.upsert('c1', { id: 'a', question: 'q', answer: 'a' });
    expect(await raw.ttl(key)).toBeGreaterThan(TTL_SECONDS - 5);

    for (const write of [
      () => storage.conversations.upsert('c1', { id: 'b', question: 'q', answer: 'b' }),
      () => storage.conversations.upsert('c1', { id: 'a', question: 'q', answer: 'replaced' }),
      () => storage.conversations.remove('c1', 'b'),
    ]) {
      await raw.expire(key, 10);
      await write();
      expect(await raw.ttl(key)).toBeGreaterThan(TTL_SECONDS - 5);
    }
  });

  it('rejects at once when Redis cannot be reached', async () => {
    const port = await freePort();
    await expect(
      createRedisStorage({ url: `redis://127.0.0.1:${port}`, keep: 10, conversationTtlSeconds: 60 }),
    ).rejects.toThrow(/Cannot connect to Redis: .*ECONNREFUSED/);
  });
});

/** Resolves once `key`'s expiry has been set `count` more times (keyspace notifications). */
async function renewals(key: string, count: number): Promise<void> {
  const listener = raw.duplicate();
  try {
    await raw.config('SET', 'notify-keyspace-events', 'Kg');
    const seen = new Promise<void>((resolve) => {
      let left = count;
      listener.on('message', (_channel: string, event: string) => {
        if (event === 'expire' && --left === 0) resolve();
      });
    });
    await listener.subscribe(`__keyspace@0__:${key}`);
    await seen;
  } finally {
    listener.disconnect();
  }
}
