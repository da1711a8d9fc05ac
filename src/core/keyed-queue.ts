// Runs tasks one at a time per key, in arrival order; different keys run concurrently. A channel's
// answers thereby never interleave, and each one starts from the history the previous one left.

export interface Turn {
  /** Resolves when it is this turn's go. */
  readonly ready: Promise<void>;
  /** Ends the turn (or gives it up before it came); the next one may start. */
  leave(): void;
}

export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Queues a turn that lasts until `leave()`: for waits that may be abandoned. */
  enter(key: string): Turn;
  /** Tasks running or waiting for `key`. */
  size(key: string): number;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();
  const sizes = new Map<string, number>();

  function settle(key: string, tail: Promise<void>): void {
    const left = (sizes.get(key) ?? 1) - 1;
    if (left === 0) sizes.delete(key);
    else sizes.set(key, left);
    // Forget idle keys so the maps do not grow with every channel ever seen.
    if (tails.get(key) === tail) tails.delete(key);
  }

  function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
    tail.then(() => settle(key, tail)).catch(() => undefined);
    return result;
  }

  return {
    run,
    enter(key) {
      let leave: () => void = () => {};
      const left = new Promise<void>((resolve) => (leave = resolve));
      const ready = new Promise<void>((resolve) => {
        run(key, () => {
          resolve();
          return left;
        }).catch(() => undefined);
      });
      return { ready, leave: () => leave() };
    },
    size: (key) => sizes.get(key) ?? 0,
  };
}
