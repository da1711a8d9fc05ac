// Fires once the stream has been silent for `ms`; every sign of life starts the wait again.

export interface IdleTimer {
  touch(): void;
  stop(): void;
}

export function startIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  const timer = setTimeout(onIdle, ms);
  return {
    // Called for every delta: refresh() restarts the same timer instead of allocating a new one.
    touch: () => void timer.refresh(),
    stop: () => clearTimeout(timer),
  };
}
