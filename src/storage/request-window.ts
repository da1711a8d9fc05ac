// Fixed windows start at multiples of their length since the epoch, so every process agrees on them.
export function windowOf(now: number, windowMs: number): { start: number; resetsAt: number } {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetsAt: start + windowMs };
}
