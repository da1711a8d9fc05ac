// Runs tasks one at a time per key, in arrival order; different keys run concurrently. In-process
// channel locks and an interaction's webhook requests take turns through it.

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
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();

  function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    // Forget idle keys so the map does not grow with every key ever seen.
    tail.then(() => tails.get(key) === tail && tails.delete(key)).catch(() => undefined);
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
  };
}
