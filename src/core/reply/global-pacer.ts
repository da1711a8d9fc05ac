import type { Clock } from '../ports/clock.js';
import type { WriteKind } from './write-budget.js';

// The platform's limit on all of the bot's requests together (Discord: 50 per second per bot), kept
// by spacing the writes evenly: at most one every 1000 / (perSecond × (1 − headroom)) ms. Even
// spacing keeps every 1-second window under the limit however the platform's windows are aligned; a
// counter per window would not, because a window of ours that starts half-way through the
// platform's lets twice the limit land in one of theirs. The headroom is left for requests that do
// not ask the pacer (deletes, the platform client's retries, reads, command sync).
//
// Waiting writes go by kind, whichever channel they belong to: a final edit never queues behind
// intermediate edits of other channels, and intermediate edits (latest text wins) wait for the rest.

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
// Timers fire in whole milliseconds: a pace of more than one a millisecond (a raised limit) grants
// several at once, as many as fit in the millisecond.
const TIMER_RESOLUTION_MS = 1;

export function createGlobalPacer(options: GlobalPacerOptions): GlobalPacer {
  const { clock } = options;
  const spacingMs = 1000 / (options.perSecond * (1 - options.headroom));
  if (!Number.isFinite(spacingMs) || spacingMs <= 0) throw new RangeError('the global pace must be positive');
  const catchUpMs = Math.max(0, TIMER_RESOLUTION_MS - spacingMs);
  let lastGrantAt = -Infinity;
  let blockedUntil = -Infinity;
  const waiting: Record<WriteKind, (() => void)[]> = { final: [], post: [], edit: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;

  const turnAt = () => Math.max(lastGrantAt + spacingMs, blockedUntil);
  const firstInLine = () => ORDER.map((kind) => waiting[kind]).find((waiters) => waiters.length > 0);

  // Each turn that is due goes to the first waiter of the first kind in line; then it sleeps until
  // the next turn. A turn counts from when it was granted, so a late timer never brings two closer.
  function dispense(): void {
    clearTimeout(timer);
    timer = undefined;
    const now = clock.now();
    for (let queue = firstInLine(); queue !== undefined; queue = firstInLine()) {
      const at = turnAt();
      if (at > now) {
        // Timers round to whole ms: waking a fraction early would only find the turn not yet due.
        timer = setTimeout(dispense, Math.max(1, Math.ceil(at - now)));
        return;
      }
      lastGrantAt = Math.max(lastGrantAt + spacingMs, now - catchUpMs);
      queue.shift()?.();
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
