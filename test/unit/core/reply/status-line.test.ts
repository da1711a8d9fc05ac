import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { createStatusLine, plainLine } from '../../../../src/core/reply/status-line.js';

// The clock reads the faked Date, so the seconds shown follow the fake timers.
const clock: Clock = { now: () => Date.now(), elapsed: () => Date.now() };

function setup() {
  const lines: (string | null)[] = [];
  const status = createStatusLine({ clock, show: (line) => lines.push(line) });
  return { status, lines };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createStatusLine', () => {
  it('shows thinking at once and counts its whole seconds once a second', async () => {
    const { status, lines } = setup();
    status.activity({ kind: 'thinking' });
    expect(lines).toEqual(['💭 Thinking…']);
    await vi.advanceTimersByTimeAsync(4000);
    expect(lines).toEqual(['💭 Thinking…', '💭 Thinking… 1s', '💭 Thinking… 2s', '💭 Thinking… 3s', '💭 Thinking… 4s']);
  });

  it('keeps counting from the start while thinking goes on, and stops once text comes', async () => {
    const { status, lines } = setup();
    status.activity({ kind: 'thinking' });
    await vi.advanceTimersByTimeAsync(1500);
    status.activity({ kind: 'thinking' });
    await vi.advanceTimersByTimeAsync(600);
    expect(lines.at(-1)).toBe('💭 Thinking… 2s');
    status.clear();
    expect(lines.at(-1)).toBeNull();
    const count = lines.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(lines).toHaveLength(count);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows what Claude searches for and which page it reads, and stops the thinking timer', () => {
    const { status, lines } = setup();
    status.activity({ kind: 'thinking' });
    status.activity({ kind: 'searching', query: 'weather in Paris' });
    expect(lines.at(-1)).toBe('🔎 Searching: weather in Paris');
    expect(vi.getTimerCount()).toBe(0);
    status.activity({ kind: 'fetching', url: 'https://example.com/forecast?day=1' });
    expect(lines.at(-1)).toBe('🌐 Reading: example.com/forecast');
  });

  it('stops ticking when the turn ends without taking the line away (the final display does)', async () => {
    const { status, lines } = setup();
    status.activity({ kind: 'thinking' });
    status.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(lines).toEqual(['💭 Thinking…']);
  });

  it('clears nothing when nothing was shown', () => {
    const { status, lines } = setup();
    status.clear();
    expect(lines).toEqual([]);
  });
});

describe('plainLine', () => {
  it('flattens, shortens and neutralises markdown and mentions', () => {
    expect(plainLine('**bold**\n<@123> @everyone', 80)).toBe('\\*\\*bold\\*\\* \\<@\u200b123\\> @\u200beveryone');
    const long = plainLine('a'.repeat(200), 80);
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('never cuts a surrogate pair', () => {
    const cut = plainLine('😀'.repeat(100), 10);
    expect(cut).toBe(`${'😀'.repeat(9)}…`);
  });
});
