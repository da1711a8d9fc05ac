import { describe, expect, it } from 'vitest';
import { usageDay } from '../../../../src/core/budget/usage-day.js';

describe('usageDay', () => {
  it('names the UTC day and the next UTC midnight, whatever the hour', () => {
    expect(usageDay(Date.UTC(2026, 10, 24, 0, 0, 0, 0))).toEqual({
      date: '2026-11-24',
      resetsAt: Date.UTC(2026, 10, 25),
    });
    expect(usageDay(Date.UTC(2026, 10, 24, 13, 7))).toEqual({
      date: '2026-11-24',
      resetsAt: Date.UTC(2026, 10, 25),
    });
  });

  it('rolls over between 23:59:59.999 and 00:00 UTC', () => {
    const lastMoment = usageDay(Date.UTC(2026, 10, 24, 23, 59, 59, 999));
    const nextDay = usageDay(Date.UTC(2026, 10, 25));
    expect(lastMoment).toEqual({ date: '2026-11-24', resetsAt: Date.UTC(2026, 10, 25) });
    expect(nextDay).toEqual({ date: '2026-11-25', resetsAt: Date.UTC(2026, 10, 26) });
  });

  it('rolls over months and years', () => {
    expect(usageDay(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toEqual({
      date: '2026-12-31',
      resetsAt: Date.UTC(2027, 0, 1),
    });
    expect(usageDay(Date.UTC(2028, 1, 29, 12)).date).toBe('2028-02-29');
  });
});
