// Fires once the stream has been silent for `ms`; every sign of life starts the wait again. It can
// wait on hold while something with its own deadline runs first (a question's downloads).

export interface IdleTimer {
  touch(): void;
  /** Silence does not count until the next touch(). */
  hold(): void;
  stop(): void;
}

export function startIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let state: 'counting' | 'held' | 'stopped' = 'counting';
  // On hold the timer may run out unheard: refresh() re-arms one that has fired, not one cleared.
  const timer = setTimeout(() => {
    if (state === 'counting') onIdle();
  }, ms);
  return {
    // Called for every delta: refresh() restarts the same timer instead of allocating a new one.
    touch() {
      if (state === 'stopped') return;
      state = 'counting';
      timer.refresh();
    },
    hold() {
      if (state === 'counting') state = 'held';
    },
    stop() {
      state = 'stopped';
      clearTimeout(timer);
    },
  };
}
