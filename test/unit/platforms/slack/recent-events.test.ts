import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createRecentEvents } from '../../../../src/platforms/slack/recent-events.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createRecentEvents', () => {
  it('lets an event through once, and refuses its redeliveries while it is remembered', () => {
    const recent = createRecentEvents({ clock: systemClock, keepMs: 60_000, max: 100 });
    expect(recent.firstDelivery('Ev1')).toBe(true);
    expect(recent.firstDelivery('Ev1')).toBe(false);
    expect(recent.firstDelivery('Ev2')).toBe(true);
    vi.advanceTimersByTime(59_999);
    expect(recent.firstDelivery('Ev1')).toBe(false);
  });

  it('forgets an event after keepMs: the set does not grow with time', () => {
    const recent = createRecentEvents({ clock: systemClock, keepMs: 60_000, max: 100 });
    recent.firstDelivery('Ev1');
    vi.advanceTimersByTime(30_000);
    recent.firstDelivery('Ev2');
    vi.advanceTimersByTime(30_000);
    expect(recent.firstDelivery('Ev3')).toBe(true);
    // Ev1 has expired (and is new again); Ev2 has not.
    expect(recent.size).toBe(2);
    expect(recent.firstDelivery('Ev2')).toBe(false);
    expect(recent.firstDelivery('Ev1')).toBe(true);
  });

  it('keeps at most max ids, dropping the oldest first', () => {
    const recent = createRecentEvents({ clock: systemClock, keepMs: 60_000, max: 3 });
    for (const id of ['Ev1', 'Ev2', 'Ev3', 'Ev4']) expect(recent.firstDelivery(id)).toBe(true);
    expect(recent.size).toBe(3);
    expect(recent.firstDelivery('Ev4')).toBe(false);
    expect(recent.firstDelivery('Ev2')).toBe(false);
    expect(recent.firstDelivery('Ev1')).toBe(true);
  });
});
