import type { LoadTrace } from './process-probe.js';

// A process's load within some stretches of its trace: CPU, and the event-loop delay's p99 and max.

export interface TimeWindow {
  /** Epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
}

export interface LoadFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
}

export function loadWithin(trace: LoadTrace, windows: readonly TimeWindow[]): LoadFigures {
  const late: number[] = [];
  let cpuMs = 0;
  let wallMs = 0;
  for (const { startMs, endMs } of windows) {
    wallMs += endMs - startMs;
    cpuMs += cpuAt(trace, endMs) - cpuAt(trace, startMs);
    trace.at.forEach((at, index) => {
      if (at >= startMs && at <= endMs) late.push(trace.lateMs[index] ?? 0);
    });
  }
  late.sort((a, b) => a - b);
  return {
    wallMs,
    cpuMs,
    eventLoopP99Ms: late[Math.max(0, Math.ceil(late.length * 0.99) - 1)] ?? 0,
    eventLoopMaxMs: late.at(-1) ?? 0,
  };
}

/** CPU used by `time`, as of the last tick at or before it. */
function cpuAt(trace: LoadTrace, time: number): number {
  let low = 0;
  let high = trace.at.length - 1;
  if (high < 0 || (trace.at[0] ?? 0) > time) return 0;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((trace.at[middle] ?? 0) <= time) low = middle;
    else high = middle - 1;
  }
  return trace.cpuMs[low] ?? 0;
}
