import type { Redis } from 'ioredis';

// Wakes the waiters of this process when any process releases a channel: a release publishes the
// channel id, and one subscription per process hears every release. Messages can be missed (while
// the subscriber reconnects), and a holder that dies publishes nothing, so waiters also retry on a
// timer: this only makes the common case prompt.

export interface ReleaseWait {
  /** Resolves at the next release of the channel; never rejects. */
  readonly released: Promise<void>;
  /** Stops waiting; call it once done, released or not. */
  cancel(): void;
}

export interface LockReleases {
  next(channelId: string): ReleaseWait;
}

/** Subscribes `subscriber` (a connection of its own: a subscribed connection can do nothing else). */
export async function subscribeLockReleases(subscriber: Redis, channel: string): Promise<LockReleases> {
  const waiters = new Map<string, Set<() => void>>();
  subscriber.on('message', (from: string, channelId: string) => {
    if (from !== channel) return;
    for (const wake of waiters.get(channelId) ?? []) wake();
  });
  await subscriber.subscribe(channel);

  return {
    next(channelId) {
      let wake: () => void = () => {};
      const released = new Promise<void>((resolve) => (wake = resolve));
      const forChannel = waiters.get(channelId) ?? new Set();
      forChannel.add(wake);
      waiters.set(channelId, forChannel);
      const cancel = () => {
        forChannel.delete(wake);
        if (forChannel.size === 0 && waiters.get(channelId) === forChannel) waiters.delete(channelId);
      };
      return { released, cancel };
    },
  };
}
