import { createKeyedQueue } from '../core/keyed-queue.js';
import type { KeyedQueue, Turn } from '../core/keyed-queue.js';
import type { ChannelLease, ChannelLocks } from '../core/ports/storage.js';
import { abortable } from './abortable.js';

// Channel locks inside one process: a turn in a keyed queue per channel. Waiters are served in
// arrival order; one that gives up leaves its place, so the queue behind it moves on. Only right
// when one process serves a channel: several processes need the Redis locks.

export function createQueueLocks(queue: KeyedQueue = createKeyedQueue()): ChannelLocks {
  return {
    async acquire(channelId, signal) {
      signal.throwIfAborted();
      const turn = queue.enter(channelId);
      try {
        await abortable(turn.ready, signal);
      } catch (error) {
        // Gives the place up: when it comes, it passes straight to the next waiter.
        turn.leave();
        throw error;
      }
      return leaseOf(turn);
    },
  };
}

function leaseOf(turn: Turn): ChannelLease {
  return {
    release() {
      // Leaving twice is harmless: the turn's promise settles once.
      turn.leave();
      return Promise.resolve();
    },
  };
}
