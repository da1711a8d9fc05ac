import type { RssSample } from './soak-protocol.js';

// Samples the process's memory at a steady pace, inside the process measured. With --expose-gc a
// full collection runs first, so the heap figure is what is still referenced, not garbage not yet
// collected: a leak shows as a heap that keeps growing.

export interface RssSampler {
  stop(): RssSample[];
}

export function startRssSampler(everyMs: number): RssSampler {
  const started = performance.now();
  const samples: RssSample[] = [];
  const collect = (globalThis as { gc?: () => void }).gc;
  const sample = () => {
    collect?.();
    const memory = process.memoryUsage();
    samples.push({ atMs: performance.now() - started, rssMb: memory.rss / 1e6, heapMb: memory.heapUsed / 1e6 });
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      // The end of the run, unless the last tick was just now.
      if (performance.now() - started - (samples.at(-1)?.atMs ?? 0) > everyMs / 2) sample();
      return samples;
    },
  };
}
