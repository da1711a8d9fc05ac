import type { Clock } from '../../core/ports/clock.js';

// Says yes the first time a key is seen, then no until `everyMs` has passed or the key is forgotten:
// one log line per channel instead of one per message. Remembers at most `max` keys (the oldest go
// first), so a bot in many channels keeps a bounded set.

export interface OncePerKeyOptions {
  readonly clock: Clock;
  readonly everyMs: number;
  readonly max: number;
}

export interface OncePerKey {
  /** Whether `key` is due: true on first sight and again after `everyMs`. */
  due(key: string): boolean;
  /** Starts `key` afresh: it is due again at once. */
  forget(key: string): void;
  readonly size: number;
}

export function createOncePerKey(options: OncePerKeyOptions): OncePerKey {
  const lastAt = new Map<string, number>();

  return {
    due(key) {
      const now = options.clock.now();
      const last = lastAt.get(key);
      if (last !== undefined && now - last < options.everyMs) return false;
      // Re-inserting moves the key to the end: the map stays in order of the last time it was due.
      lastAt.delete(key);
      lastAt.set(key, now);
      for (const oldest of lastAt.keys()) {
        if (lastAt.size <= options.max) break;
        lastAt.delete(oldest);
      }
      return true;
    },
    forget(key) {
      lastAt.delete(key);
    },
    get size() {
      return lastAt.size;
    },
  };
}
