import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { createOncePerKey } from '../../../../src/platforms/discord/once-per-key.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, elapsed: () => now, advance: (ms) => void (now += ms) };
}

describe('createOncePerKey', () => {
  it('is due on first sight, then not until everyMs has passed', () => {
    const clock = manualClock();
    const once = createOncePerKey({ clock, everyMs: 1000, max: 10 });
    expect(once.due('a')).toBe(true);
    expect(once.due('a')).toBe(false);
    expect(once.due('b')).toBe(true);
    clock.advance(999);
    expect(once.due('a')).toBe(false);
    clock.advance(1);
    expect(once.due('a')).toBe(true);
    expect(once.due('a')).toBe(false);
  });

  it('is due again at once after forget', () => {
    const once = createOncePerKey({ clock: manualClock(), everyMs: 1000, max: 10 });
    expect(once.due('a')).toBe(true);
    once.forget('a');
    expect(once.due('a')).toBe(true);
  });

  it('remembers at most max keys, dropping the one due longest ago', () => {
    const clock = manualClock();
    const once = createOncePerKey({ clock, everyMs: 1000, max: 2 });
    once.due('a');
    once.due('b');
    once.due('c');
    expect(once.size).toBe(2);
    expect(once.due('b')).toBe(false);
    expect(once.due('c')).toBe(false);
    expect(once.due('a')).toBe(true);
  });
});
