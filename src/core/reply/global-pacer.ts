import type { Clock } from '../ports/clock.js';
import type { WriteKind } from './write-budget.js';

// The platform's limit on all of the bot's requests together (Discord: 50 per second per bot), kept
// over every 1-second window, however the platform's own windows are aligned: a write goes out only
// while fewer than the pace's writes went out in the second before it. (A counter per window would
// not do: a window of ours that starts half-way through the platform's lets twice the limit land in
// one of theirs.) The pace is `perSecond` less a headroom left for requests that do not ask the pacer
// (deletes, the platform client's retries, reads, command sync).
//
// Waiting writes go by kind, whichever channel they belong to: final edits first, then posts, then
// intermediate edits. Finals and posts go at once while the last second has room, so a crowd of
// answers starting or ending together is not held up. Intermediate edits are the writes that can keep
// the pacer busy for good (latest text wins: there is always a newer one), so they are also spaced
// evenly; a busy pacer then sends at an even pace, instead of repeating a burst every second that a
// little delay on the way could push into one of the platform's windows together with the next.

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
// Timers fire in whole milliseconds: edits paced more than one a millisecond (a raised limit) go
// several at once, as many as fit in the millisecond.
const TIMER_RESOLUTION_MS = 1;

export function createGlobalPacer(options: GlobalPacerOptions): GlobalPacer {
  const { clock } = options;
  const pace = options.perSecond * (1 - options.headroom);
  if (!Number.isFinite(pace) || pace <= 0) throw new RangeError('the global pace must be positive');
  // Whole writes per window; a pace under one a second is one write per longer window.
  const perWindow = Math.max(1, Math.floor(pace));
  const windowMs = Math.max(SECOND_MS, SECOND_MS / pace);
  const editSpacingMs = windowMs / perWindow;
  const catchUpMs = Math.max(0, TIMER_RESOLUTION_MS - editSpacingMs);
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

  function turnAt(kind: WriteKind, now: number): number {
    let at = Math.max(now, blockedUntil);
    // The window is full: the next write goes when the oldest in it has been out for a window.
    if (sent.length - head >= perWindow) at = Math.max(at, (sent[sent.length - perWindow] ?? 0) + windowMs);
    if (kind === 'edit') at = Math.max(at, lastGrantAt + editSpacingMs);
    return at;
  }

  // Grants what may go now, in order of kind, and sleeps until the first in line may go. Finals and
  // posts wait only for the window, edits for the window and their spacing: when the first kind in
  // line has to wait, so does every kind after it.
  function dispense(): void {
    clearTimeout(timer);
    timer = undefined;
    const now = clock.now();
    forgetBefore(now);
    for (const kind of ORDER) {
      const queue = waiting[kind];
      while (queue.length > 0 && turnAt(kind, now) <= now) {
        sent.push(now);
        lastGrantAt = kind === 'edit' ? Math.max(lastGrantAt + editSpacingMs, now - catchUpMs) : now;
        queue.shift()?.();
      }
      if (queue.length === 0) continue;
      // Timers round to whole ms: waking a fraction early would only find the turn not yet due.
      timer = setTimeout(dispense, Math.max(1, Math.ceil(turnAt(kind, now) - now)));
      return;
    }
  }

  return {
    acquire(kind, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve(false);
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
