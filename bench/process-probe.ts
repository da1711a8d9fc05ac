// What a process's load looked like over a run, recorded inside that process: a 10 ms timer notes
// when it ran (on the wall clock, comparable across processes), how late it ran (the event-loop
// delay) and the CPU the process had used by then. The parent cuts the trace to the stretches that
// matter (a wave's streaming), so a bot still working off a backlog long after is compared fairly.

export interface LoadTrace {
  /** Per tick: when it ran (epoch ms), how late beyond its 10 ms, and CPU used since the start (ms; user + system, all threads). */
  readonly at: Float64Array;
  readonly lateMs: Float64Array;
  readonly cpuMs: Float64Array;
  /** The resident set when the trace began, and its high-water mark (since the process started), in MB. */
  readonly startRssMb: number;
  readonly peakRssMb: number;
}

export interface ProcessProbe {
  stop(): LoadTrace;
}

const TICK_MS = 10;

/** Milliseconds since the epoch, sub-millisecond: the same clock in every process on the machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export function startProbe(): ProcessProbe {
  const at: number[] = [];
  const lateMs: number[] = [];
  const cpuMs: number[] = [];
  const cpu = process.cpuUsage();
  const startRssMb = process.memoryUsage.rss() / 1e6;
  let last = epochNow();
  const sample = (late: number): void => {
    const used = process.cpuUsage(cpu);
    at.push(last);
    lateMs.push(late);
    cpuMs.push((used.user + used.system) / 1000);
  };
  sample(0);
  const timer = setInterval(() => {
    const now = epochNow();
    const late = Math.max(0, now - last - TICK_MS);
    last = now;
    sample(late);
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      last = epochNow();
      sample(0);
      return {
        at: Float64Array.from(at),
        lateMs: Float64Array.from(lateMs),
        cpuMs: Float64Array.from(cpuMs),
        startRssMb,
        // maxRSS is in KiB.
        peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
      };
    },
  };
}
