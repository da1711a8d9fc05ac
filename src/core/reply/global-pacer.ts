import type { Clock } from '../ports/clock.js';
import type { WriteKind } from './write-budget.js';

// The platform's limit on all of the bot's requests together (Discord: 50 per second per bot), kept
// over every 1-second window, however the platform's own windows are aligned: a write goes out only
// while fewer than the pace's writes went out in the second before it. (A counter per window would
// not do: a window of ours that starts half-way through the platform's lets twice the limit land in
// one of theirs.) The pace is `perSecond` less a headroom left for requests that do not ask the pacer
// (deletes, the platform client's retries, reads, command sync).
//
// A write that finds room goes at once, so a crowd of answers starting or ending together is not held
// up. Writes that have to wait go by kind, whichever channel they belong to — final edits, then posts,
// then intermediate edits — and one at a time, evenly spaced: a busy pacer sends at an even pace
// instead of repeating, every second, the burst it sent a second before (a burst that a little delay
// on the way could push into one of the platform's windows together with the next).

export interface GlobalPacer {
  /**
   * Resolves true once a write of `kind` may go out, its turn taken. Aborting `signal` gives up the
   * wait (resolving false) and passes the turn on.
   */
  acquire(kind: WriteKind, signal?: AbortSignal): Promise<boolean>;
  /** The platform refused a request for the global limit: nothing more until `ms` has passed. */
  blockFor(ms: number): void;
}

export interface GlobalPacerOptions {
  /** Requests per second the platform allows this process, all of its requests together. */
  readonly perSecond: number;
  /** The share of `perSecond` (0 to 1) left for requests that do not ask the pacer. */
  readonly headroom: number;
  readonly clock: Clock;
}

const ORDER: readonly WriteKind[] = ['final', 'post', 'edit'];
const SECOND_MS = 1000;
// Timers fire in whole milliseconds: a pace of more than one a millisecond (a raised limit) lets
// waiting writes go several at once, as many as fit in the millisecond.
const TIMER_RESOLUTION_MS = 1;

export function createGlobalPacer(options: GlobalPacerOptions): GlobalPacer {
  const { clock } = options;
  const pace = options.perSecond * (1 - options.headroom);
  if (!Number.isFinite(pace) || pace <= 0) throw new RangeError('the global pace must be positive');
  // Whole writes per window; a pace under one a second is one write per longer window.
  const perWindow = Math.max(1, Math.floor(pace));
  const windowMs = Math.max(SECOND_MS, SECOND_MS / pace);
  const spacingMs = windowMs / perWindow;
  const catchUpMs = Math.max(0, TIMER_RESOLUTION_MS - spacingMs);
  // When the writes of the last window went out, oldest first from `head` on.
  const sent: number[] = [];
  let head = 0;
  let lastGrantAt = -Infinity;
  let blockedUntil = -Infinity;
  const waiting: Record<WriteKind, (() => void)[]> = { final: [], post: [], edit: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;

  function forgetBefore(now: number): void {
    while (head < sent.length && (sent[head] ?? now) <= now - windowMs) head += 1;
    if (head > perWindow) {
      sent.splice(0, head);
      head = 0;
    }
  }

  /** When the window has room again (now if it has), and the pacer is not blocked. */
  function roomAt(now: number): number {
    forgetBefore(now);
    const at = Math.max(now, blockedUntil);
    // The window is full: the next write goes when the oldest in it has been out for a window.
    if (sent.length - head < perWindow) return at;
    return Math.max(at, (sent[sent.length - perWindow] ?? 0) + windowMs);
  }

  // Grants the first waiter in line once its turn is due, and sleeps until the next turn.
  function dispense(): void {
    clearTimeout(timer);
    timer = undefined;
    const now = clock.now();
    for (let queue = firstInLine(); queue !== undefined; queue = firstInLine()) {
      const turnAt = Math.max(roomAt(now), lastGrantAt + spacingMs);
      if (turnAt > now) {
        // Timers round to whole ms: waking a fraction early would only find the turn not yet due.
        timer = setTimeout(dispense, Math.max(1, Math.ceil(turnAt - now)));
        return;
      }
      sent.push(now);
      lastGrantAt = Math.max(lastGrantAt + spacingMs, now - catchUpMs);
      queue.shift()?.();
    }
  }

  function firstInLine(): (() => void)[] | undefined {
    return ORDER.map((kind) => waiting[kind]).find((queue) => queue.length > 0);
  }

  /** Whether a write of `kind` may go at once: room in the window, and no one before it in line. */
  function goesAtOnce(kind: WriteKind, now: number): boolean {
    const ahead = ORDER.slice(0, ORDER.indexOf(kind) + 1);
    return ahead.every((earlier) => waiting[earlier].length === 0) && roomAt(now) <= now;
  }

  return {
    acquire(kind, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve(false);
        const now = clock.now();
        if (goesAtOnce(kind, now)) {
          sent.push(now);
          lastGrantAt = now;
          return resolve(true);
        }
        const queue = waiting[kind];
        const giveUp = () => {
          queue.splice(queue.indexOf(grant), 1);
          resolve(false);
          dispense();
        };
        const grant = () => {
          signal?.removeEventListener('abort', giveUp);
          resolve(true);
        };
        queue.push(grant);
        signal?.addEventListener('abort', giveUp, { once: true });
        dispense();
      });
    },
    blockFor(ms) {
      blockedUntil = Math.max(blockedUntil, clock.now() + ms);
      dispense();
    },
  };
}
