// Fires once the stream has been silent for `ms`; every sign of life starts the wait again.

export interface IdleTimer {
  touch(): void;
  stop(): void;
}

export function startIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let timer = setTimeout(onIdle, ms);
  return {
    touch() {
      clearTimeout(timer);
      timer = setTimeout(onIdle, ms);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
