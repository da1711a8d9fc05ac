import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/ports/logger.js';
import type { ChannelLease, ChannelLocks } from '../../core/ports/storage.js';
import { delay } from '../abortable.js';
import type { LockReleases } from './lock-releases.js';
import type { RedisKeys } from './redis-keys.js';

// Channel locks shared by every process: the lock is a key holding the holder's random token with a
// lease (PX). The holder renews the lease every third of it while it lives; a holder that dies stops
// renewing, and the channel is free again once the lease runs out. Only the token's owner can renew
// or delete the key (compare-and-set scripts), so a holder whose lease ran out cannot free, or extend,
// the lock the next holder took.
//
// A waiter tries, and if the lock is taken sleeps until the release is announced, its backoff
// (50 ms doubling to 500 ms) passes, or the lease runs out, whichever comes first, then tries again.
// Waiters are not served in order: whoever tries first after a release wins.

export interface RedisLocksOptions {
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly backoffMs?: { readonly min: number; readonly max: number };
}

export interface RedisLocks extends ChannelLocks {
  /** Releases every lease this process holds (on shutdown), so that no channel waits for expiry; never rejects. */
  releaseAll(): Promise<void>;
}

export function createRedisLocks(
  redis: Redis,
  keys: RedisKeys,
  releases: LockReleases,
  options: RedisLocksOptions,
): RedisLocks {
  const { leaseMs, logger } = options;
  const backoff = options.backoffMs ?? { min: 50, max: 500 };
  const held = new Set<ChannelLease>();

  function hold(channelId: string, token: string): ChannelLease {
    const key = keys.lock(channelId);
    let released = false;
    let timer: NodeJS.Timeout | undefined;

    // A timeout chain rather than an interval: a renewal never starts before the last one answered.
    const scheduleRenewal = () => {
      timer = setTimeout(() => {
        redis
          .streamcordRenewLock(key, token, leaseMs)
          .then((renewed) => {
            if (released) return;
            if (renewed === 1) scheduleRenewal();
            else logger.warn({ channelId }, 'Channel lease ran out before it was renewed; another answer may start');
          })
          .catch((error: unknown) => {
            logger.warn({ channelId, err: error }, 'Renewing a channel lease failed; retrying');
            if (!released) scheduleRenewal();
          });
      }, leaseMs / 3);
      // A lease must not keep the process alive on its own.
      timer.unref();
    };

    const lease: ChannelLease = {
      async release() {
        if (released) return;
        released = true;
        clearTimeout(timer);
        held.delete(lease);
        await redis.streamcordReleaseLock(key, token, keys.lockReleased, channelId);
      },
    };
    held.add(lease);
    scheduleRenewal();
    return lease;
  }

  async function acquire(channelId: string, signal: AbortSignal): Promise<ChannelLease> {
    const token = randomUUID();
    let backoffMs = backoff.min;
    for (;;) {
      signal.throwIfAborted();
      // Listens before trying, so that a release between a failed try and the wait is not missed.
      const wait = releases.next(channelId);
      try {
        const leaseLeftMs = await redis.streamcordAcquireLock(keys.lock(channelId), token, leaseMs);
        if (leaseLeftMs === 0) return await keptUnlessAborted(hold(channelId, token), signal);
        await delay(Math.min(backoffMs, leaseLeftMs), wait.released, signal);
      } finally {
        wait.cancel();
      }
      backoffMs = Math.min(backoffMs * 2, backoff.max);
    }
  }

  return {
    acquire,
    async releaseAll() {
      const results = await Promise.allSettled([...held].map((lease) => lease.release()));
      // A lease that could not be released still runs out on its own within leaseMs.
      for (const result of results) {
        if (result.status === 'rejected')
          logger.warn({ err: result.reason as unknown }, 'Releasing a channel lease failed');
      }
    },
  };
}

// The signal may abort while the winning try is on the wire: the caller gave up, so the lock goes back.
async function keptUnlessAborted(lease: ChannelLease, signal: AbortSignal): Promise<ChannelLease> {
  if (!signal.aborted) return lease;
  await lease.release();
  throw signal.reason;
}
