import { sameView } from './message-view.js';
import type { MessageView } from './message-view.js';
import { RateLimitedError } from './platform-errors.js';
import type { WriteKind } from './write-budget.js';

// Keeps one message showing the newest view without queueing: updates only record the latest view,
// at most one edit is in flight, each intermediate edit waits for a budget slot, and the final view
// goes out as soon as the edit in flight (if any) has landed and a final slot (the reserve) is free.
// An edit the platform refused for its rate limits (the adapter has held the budget for the
// Retry-After) is tried again at the next slot with the newest view, and so is the final edit.

// Tries of the final edit refused for rate limits; each waits for its slot, so they span minutes.
const FINAL_TRIES = 5;

export interface LatestWinsOptions {
  /** Puts `view` on the message. */
  readonly send: (view: MessageView) => Promise<void>;
  /** Resolves when an edit of `kind` may go out (the channel's write budget); `signal` gives up. */
  readonly acquire: (kind: Extract<WriteKind, 'edit' | 'final'>, signal?: AbortSignal) => Promise<unknown>;
  /** What the message shows already. */
  readonly initial: MessageView;
  /** An intermediate edit failed; the next update tries again. */
  readonly onError: (error: unknown) => void;
  /** The message can no longer be edited (it was deleted); stop trying. */
  readonly isGone: (error: unknown) => boolean;
}

export interface LatestWins {
  /** Records the newest view; cheap, never waits on the network. */
  update(view: MessageView): void;
  /** Records the view the message keeps for good; it goes out at the next budget slot. */
  settle(view: MessageView): void;
  /** Shows `view` and stops; rejects if that last edit fails. */
  finish(view: MessageView): Promise<void>;
  /** The view the message shows, as far as we know. */
  readonly visible: MessageView;
  /** How many edits reached the message. */
  readonly edits: number;
  /** Whether the message was found deleted. */
  readonly gone: boolean;
}

export function createLatestWins(options: LatestWinsOptions): LatestWins {
  let latest = options.initial;
  let visible = options.initial;
  let inFlight: Promise<void> = Promise.resolve();
  let pumping = false;
  // Aborted by the final edit: a pending wait for a budget slot is no longer needed.
  const waiting = new AbortController();
  let finished = false;
  let settled = false;
  let gone = false;
  let edits = 0;
  // A view whose edit failed is not retried on its own; the next update (or the final edit) tries.
  let failed: MessageView | null = null;
  const pending = () => !sameView(latest, visible) && (failed === null || !sameView(latest, failed));

  function sendNow(next: MessageView): Promise<void> {
    const sending = options.send(next).then(() => {
      visible = next;
      edits += 1;
    });
    // The next edit waits for this one whatever its outcome: never two in flight.
    inFlight = sending.catch(() => undefined);
    return sending;
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (!finished && !gone && pending()) {
        await options.acquire('edit', waiting.signal);
        if (finished || gone) return; // the final edit has taken over
        const next = latest;
        await sendNow(next).catch((error: unknown) => noteFailure(error, next));
      }
    } finally {
      pumping = false;
    }
  }

  function noteFailure(error: unknown, next: MessageView): void {
    if (options.isGone(error)) gone = true;
    else options.onError(error);
    // Refused for now only: the pump goes on, the next slot (after the wait) takes the newest view.
    if (!(error instanceof RateLimitedError)) failed = next;
  }

  async function sendFinal(next: MessageView): Promise<void> {
    for (let tries = 1; ; tries += 1) {
      await options.acquire('final');
      try {
        await sendNow(next);
        return;
      } catch (error) {
        if (options.isGone(error)) {
          gone = true;
          return;
        }
        if (!(error instanceof RateLimitedError) || tries >= FINAL_TRIES) throw error;
        options.onError(error);
      }
    }
  }

  function record(next: MessageView): void {
    latest = next;
    if (!pumping && pending()) pump().catch(options.onError);
  }

  return {
    update(next) {
      if (!finished && !gone && !settled) record(next);
    },
    settle(next) {
      if (finished || gone || settled) return;
      settled = true;
      record(next);
    },
    async finish(next) {
      finished = true;
      waiting.abort();
      latest = next;
      await inFlight;
      if (gone || sameView(next, visible)) return;
      await sendFinal(next);
    },
    get visible() {
      return visible;
    },
    get edits() {
      return edits;
    },
    get gone() {
      return gone;
    },
  };
}
