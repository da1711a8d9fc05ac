import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIdleTimer } from '../../../../src/core/answer/idle-timer.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('startIdleTimer', () => {
  it('fires after the silence, each touch starting the wait again', () => {
    const onIdle = vi.fn();
    const idle = startIdleTimer(1000, onIdle);
    vi.advanceTimersByTime(900);
    idle.touch();
    vi.advanceTimersByTime(900);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('does not count silence on hold, and counts again from the next touch', () => {
    const onIdle = vi.fn();
    const idle = startIdleTimer(1000, onIdle);
    idle.hold();
    vi.advanceTimersByTime(5000);
    expect(onIdle).not.toHaveBeenCalled();
    idle.touch();
    vi.advanceTimersByTime(999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('never fires once stopped, touched or not', () => {
    const onIdle = vi.fn();
    const idle = startIdleTimer(1000, onIdle);
    idle.stop();
    idle.touch();
    vi.advanceTimersByTime(5000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
