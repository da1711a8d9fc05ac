// Time as a parameter: the core asks a clock instead of reading the system's, so tests and the bench
// can drive it. Timers stay on the runtime's setTimeout, which fake timers already control.

export interface Clock {
  /** Wall-clock time in epoch ms: deadlines, rate-limit resets, the day usage is counted in. */
  now(): number;
  /** A monotonic reading in ms for durations (time to first token, answer length). */
  elapsed(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  elapsed: () => performance.now(),
};
