// Waiting for something that an abort signal may cut short. The listener is removed either way, so
// a long-lived signal does not collect one listener per wait.

const ABORTED = Symbol('aborted');

/** Settles like `promise`, or rejects with `signal.reason` if the signal aborts first. */
export async function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort: () => void = () => {};
  const aborted = new Promise<typeof ABORTED>((resolve) => (onAbort = () => resolve(ABORTED)));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await Promise.race([promise, aborted]);
    if (result === ABORTED) throw signal.reason;
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Resolves after `ms`, or as soon as `wake` settles; rejects with `signal.reason` on abort. */
export async function delay(ms: number, wake: Promise<void>, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await abortable(Promise.race([elapsed, wake]), signal);
  } finally {
    clearTimeout(timer);
  }
}
