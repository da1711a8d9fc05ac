import type { Clock } from '../ports/clock.js';

// The budget of one rate-limit bucket — a channel, whose message creates and edits Discord counts
// together, or an interaction's webhook token — shared by every write to it. Each grant is counted for
// one window; what the platform's headers say was used (by us or anyone else) is counted as well, so
// the bucket is never asked for more than it has. Waiting writes go by kind:
//   final  an answer's last edit: first in line, and the only kind that may take the reserve (the
//          slots of each window kept so that an answer's end never waits for a window reset);
//   post   a placeholder, a follow-up message, a regenerate clearing its old messages: before any
//          intermediate edit, because a question must be acknowledged at once;
//   edit   an intermediate edit: last in line and paced evenly across the window, so the visible
//          text lags the stream by about one slot all along instead of freezing for most of a window
//          (after a final edit, the next stream's first edit is not paced behind the last one's).
// A bucket whose writes also count against the platform's global limit then waits for its turn there
// (see global-pacer.ts) before its write goes out.

export type WriteKind = 'final' | 'post' | 'edit';

export interface RateLimitObservation {
  /** Requests allowed per window (X-RateLimit-Limit). */
  readonly limit: number;
  /** Requests left in this window (X-RateLimit-Remaining). */
  readonly remaining: number;
  /** Until the window resets (X-RateLimit-Reset-After), in ms. */
  readonly resetAfterMs: number;
}

export interface WriteBudget {
  /**
   * Resolves true once a write of `kind` may go out, its slot taken. Aborting `signal` gives up the
   * wait (resolving false): the write is no longer needed and its turn passes on.
   */
  acquire(kind: WriteKind, signal?: AbortSignal): Promise<boolean>;
  /** Feeds what the platform said about the bucket in a response. */
  observe(observation: RateLimitObservation): void;
  /** The platform answered 429: nothing more until `ms` has passed. */
  blockFor(ms: number): void;
}

export interface WriteBudgetOptions {
  /** Assumed until the platform's headers say otherwise. */
  readonly limit: number;
  readonly windowMs: number;
  /** Slots per window kept for final edits. */
  readonly reserve: number;
  readonly clock: Clock;
  /** The global limit's pacer, when the bucket's writes count against it (a GlobalPacer). */
  readonly global?: { acquire(kind: WriteKind, signal?: AbortSignal): Promise<boolean> };
}

interface Slot {
  freesAt: number;
}

interface Waiter {
  readonly grant: (slot: Slot) => void;
}

const ORDER: readonly WriteKind[] = ['final', 'post', 'edit'];

export function createWriteBudget(options: WriteBudgetOptions): WriteBudget {
  const { clock, reserve } = options;
  let limit = options.limit;
  let windowMs = options.windowMs;
  // The slots still taken, oldest grant first, each with the time it frees up again: a slot counted in
  // a window of the platform frees at that window's reset, so none is carried into a later window.
  let used: Slot[] = [];
  let blockedUntil = 0;
  let lastEditAt = -Infinity;
  const waiting: Record<WriteKind, Waiter[]> = { final: [], post: [], edit: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;

  const slotsFor = (kind: WriteKind) => (kind === 'final' ? limit : Math.max(1, limit - reserve));
  const editSpacing = () => windowMs / Math.max(1, limit - reserve);

  function readyAt(kind: WriteKind, now: number): number {
    let at = Math.max(now, blockedUntil);
    const slots = slotsFor(kind);
    if (used.length >= slots) {
      const frees = used.map((slot) => slot.freesAt).sort((a, b) => a - b);
      at = Math.max(at, frees[frees.length - slots] ?? 0);
    }
    if (kind === 'edit') at = Math.max(at, lastEditAt + editSpacing());
    return at;
  }

  // The platform counts `count` requests in a window that resets at `resetAt`. It counts a request
  // from when it arrived, not when it was granted, and answers in order: our oldest slots are the
  // ones it counted, and they free at its reset; later ones are still on their way and land in this
  // window or the next. Any it counted beyond ours (another process, a retried request) are added.
  function countedUntil(count: number, resetAt: number): void {
    used.forEach((slot, index) => {
      slot.freesAt = index < count ? resetAt : Math.min(slot.freesAt, resetAt + windowMs);
    });
    for (let missing = count - used.length; missing > 0; missing -= 1) used.unshift({ freesAt: resetAt });
  }

  // Grants what can go now, in order of kind, and sleeps until the next waiter could go.
  function dispense(): void {
    clearTimeout(timer);
    timer = undefined;
    const now = clock.now();
    used = used.filter((slot) => slot.freesAt > now);
    let wake = Infinity;
    for (const kind of ORDER) {
      const queue = waiting[kind];
      while (queue.length > 0 && readyAt(kind, now) <= now) {
        const slot = { freesAt: now + windowMs };
        used.push(slot);
        // The pace spaces the edits of one stream; a final ends a stream, so the next one's first
        // text waits only for a free slot, not for the pace of the answer before it.
        if (kind !== 'post') lastEditAt = kind === 'edit' ? now : -Infinity;
        queue.shift()?.grant(slot);
      }
      if (queue.length > 0) wake = Math.min(wake, readyAt(kind, now));
    }
    if (wake !== Infinity) timer = setTimeout(dispense, Math.max(1, wake - now));
  }

  function slotFor(kind: WriteKind, signal?: AbortSignal): Promise<Slot | undefined> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(undefined);
      const queue = waiting[kind];
      const giveUp = () => {
        queue.splice(queue.indexOf(waiter), 1);
        resolve(undefined);
        dispense();
      };
      const waiter: Waiter = {
        grant: (slot) => {
          signal?.removeEventListener('abort', giveUp);
          resolve(slot);
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', giveUp, { once: true });
      dispense();
    });
  }

  return {
    async acquire(kind, signal) {
      const slot = await slotFor(kind, signal);
      if (slot === undefined) return false;
      if (options.global === undefined || (await options.global.acquire(kind, signal))) return true;
      // Given up while waiting for a global turn: the write never went out, so its slot frees again.
      used = used.filter((taken) => taken !== slot);
      dispense();
      return false;
    },
    observe(observation) {
      const now = clock.now();
      // The first request of a window reports the whole window as its reset-after.
      if (observation.remaining === observation.limit - 1) windowMs = Math.ceil(observation.resetAfterMs);
      limit = observation.limit;
      used = used.filter((slot) => slot.freesAt > now);
      countedUntil(observation.limit - observation.remaining, now + observation.resetAfterMs);
      dispense();
    },
    blockFor(ms) {
      blockedUntil = Math.max(blockedUntil, clock.now() + ms);
      dispense();
    },
  };
}
