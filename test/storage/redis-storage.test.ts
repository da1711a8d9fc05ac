import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ChannelLease, Storage } from '../../src/core/ports/storage.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { redisKeys } from '../../src/storage/redis/redis-keys.js';
import type { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { defineStorageScripts } from '../../src/storage/redis/redis-scripts.js';
import { createRedisStorage } from '../../src/storage/redis/redis-storage.js';
import { CLOCK_SKEW_MS } from '../../src/storage/redis/redis-requests.js';
import { USAGE_EXPIRY_SECONDS } from '../../src/storage/redis/redis-usage.js';
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

const open = async (leaseMs = LEASE_MS, logger?: Logger) => {
  const storage = await createRedisStorage({
    url: inject('redisUrl'),
    keyPrefix,
    keep: 10,
    conversationTtlSeconds: TTL_SECONDS,
    leaseMs,
    ...(logger ? { logger } : {}),
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

  it('answers a ping while connected, and refuses it once closed', async () => {
    const storage = await open();
    await expect(storage.ping()).resolves.toBeUndefined();
    await storage.close();
    await expect(storage.ping()).rejects.toThrow();
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

  it('sets daily usage counters and rankings to expire, and refreshes the expiry on every write', async () => {
    const storage = await open();
    const counter = keys.usage('user:1:2026-12-01');
    const ranking = keys.ranking('guild:1:users:2026-12-01');
    const counts = { input: 1, output: 1, cacheRead: 0, cacheCreation: 0 };
    for (let write = 0; write < 2; write++) {
      await storage.usage.add('user:1:2026-12-01', counts);
      await storage.usage.rank('guild:1:users:2026-12-01', 'u1', 2);
      for (const key of [counter, ranking]) {
        expect(await raw.ttl(key)).toBeGreaterThan(USAGE_EXPIRY_SECONDS - 5);
        expect(await raw.ttl(key)).toBeLessThanOrEqual(USAGE_EXPIRY_SECONDS);
        await raw.expire(key, 10);
      }
    }
    expect(await storage.usage.top('guild:1:users:2026-12-01', 1)).toEqual([{ member: 'u1', score: 4 }]);
  });

  it('keeps a request window under a key of its own that expires soon after the window ends', async () => {
    const storage = await open();
    const minute = 60_000;
    const start = 1_800_000_000_000;
    await storage.requests.take('user:1', 5, minute, start + 45_000);
    const ttlMs = await raw.pttl(keys.requestWindow('user:1', start));
    // 15 s left in the window, plus a margin for processes whose clocks lag.
    expect(ttlMs).toBeGreaterThan(15_000 + CLOCK_SKEW_MS - 1_000);
    expect(ttlMs).toBeLessThanOrEqual(15_000 + CLOCK_SKEW_MS);
    await storage.requests.take('user:1', 5, minute, start + minute);
    expect(await raw.get(keys.requestWindow('user:1', start + minute))).toBe('1');
  });

  it('stores settings without expiry, and deletes the key of a scope whose settings become empty', async () => {
    const storage = await open();
    await storage.settings.update('guild:1', () => ({ model: 'm' }));
    expect(await raw.ttl(keys.settings('guild:1'))).toBe(-1);
    await storage.settings.update('guild:1', () => ({}));
    expect(await raw.exists(keys.settings('guild:1'))).toBe(0);
  });

  it('reads a stored value that is not valid settings as nothing set, says so, and lets an update replace it', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (entry) => warnings.push(entry) };
    const storage = await open(LEASE_MS, logger);
    await raw.set(keys.settings('guild:1'), 'not json');
    await raw.set(keys.settings('guild:2'), JSON.stringify({ access: { allowedUserIds: [1, 2] } }));
    expect(await storage.settings.getMany(['guild:1', 'guild:2', 'guild:3'])).toEqual([{}, {}, {}]);
    expect(warnings).toEqual(['guild:1', 'guild:2'].map((scope): unknown => expect.objectContaining({ scope })));
    await storage.settings.update('guild:2', (current) => ({ ...current, persona: 'p' }));
    expect(await storage.settings.getMany(['guild:2'])).toEqual([{ persona: 'p' }]);
  });

  // An update writes only over the value it read: a write by another process in between is kept, and
  // the update runs its change again on it.
  it('writes settings only over the value that was read', async () => {
    defineStorageScripts(raw);
    const key = keys.settings('guild:1');
    expect(await raw.streamcordSetSettingsIf(key, '', '{"model":"a"}')).toBe(1);
    expect(await raw.streamcordSetSettingsIf(key, '', '{"model":"b"}')).toBe(0);
    expect(await raw.streamcordSetSettingsIf(key, '{"model":"x"}', '{"model":"b"}')).toBe(0);
    expect(await raw.get(key)).toBe('{"model":"a"}');
    expect(await raw.streamcordSetSettingsIf(key, '{"model":"a"}', '')).toBe(1);
    expect(await raw.exists(key)).toBe(0);
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
