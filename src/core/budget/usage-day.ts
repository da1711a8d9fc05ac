// Usage is counted per UTC day: every process, whatever its time zone, agrees on when a day ends.

const DAY_MS = 24 * 3600_000;

export interface UsageDay {
  /** YYYY-MM-DD, as the counters' keys carry it. */
  readonly date: string;
  /** The next UTC midnight (epoch ms), when daily limits start again from zero. */
  readonly resetsAt: number;
}

export function usageDay(now: number): UsageDay {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  return { date: new Date(start).toISOString().slice(0, 10), resetsAt: start + DAY_MS };
}
