import type { EventEmitter } from 'node:events';

// What the fakes' waitFor shares: the first event that satisfies a predicate, or a descriptive
// rejection after a timeout or when the fake closes. Purely event-driven: call it before the action
// that causes the event, then await it.

export interface WaitForOptions {
  /** Rejects with a descriptive error after this long (default 10 s, below vitest's timeout). */
  readonly timeoutMs?: number;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

export function waitForEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean,
  context: { readonly fake: string; readonly closing: AbortSignal; readonly options: WaitForOptions },
): Promise<T> {
  const timeoutMs = context.options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return new Promise<T>((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      clearTimeout(timer);
      emitter.off(event, listener);
      context.closing.removeEventListener('abort', onClose);
      outcome();
    };
    const listener = (value: T): void => {
      try {
        if (predicate(value)) settle(() => resolve(value));
      } catch (error: unknown) {
        settle(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    };
    const onClose = (): void => settle(() => reject(new Error(`${context.fake} closed while waiting for '${event}'`)));
    const timer = setTimeout(
      () => settle(() => reject(new Error(`${context.fake}: no matching '${event}' within ${timeoutMs} ms`))),
      timeoutMs,
    );
    emitter.on(event, listener);
    context.closing.addEventListener('abort', onClose);
  });
}
