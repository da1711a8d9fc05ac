import type { KeyedQueue } from '../core/keyed-queue.js';
import type { Storage } from '../core/ports/storage.js';
import { createMemoryRequests } from './memory-requests.js';
import { createMemorySettings } from './memory-settings.js';
import { createMemoryStore } from './memory-store.js';
import { createMemoryStreaming } from './memory-streaming.js';
import { createMemoryUsage } from './memory-usage.js';
import { createQueueLocks } from './queue-locks.js';

// Everything in this process's memory: for tests and for a single process that may forget on restart.

export interface MemoryStorageOptions {
  /** Exchanges kept per channel, newest last. */
  readonly keep: number;
  /** The queue the channel locks take turns in; a fresh one by default. */
  readonly queue?: KeyedQueue;
}

export function createMemoryStorage(options: MemoryStorageOptions): Storage {
  return {
    conversations: createMemoryStore({ keep: options.keep }),
    usage: createMemoryUsage(),
    requests: createMemoryRequests(),
    settings: createMemorySettings(),
    streaming: createMemoryStreaming(),
    locks: createQueueLocks(options.queue),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
