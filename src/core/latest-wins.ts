// Keeps one message showing the newest text without queueing: updates only record the latest text,
// at most one edit is in flight, each intermediate edit waits for a budget slot, and the final text
// goes out as soon as the edit in flight (if any) has landed.

export interface LatestWinsOptions {
  /** Puts `text` on the message. */
  readonly send: (text: string) => Promise<void>;
  /** Resolves when an intermediate edit may go out (the channel's edit budget). */
  readonly acquire: () => Promise<void>;
  /** What the message shows already. */
  readonly initial: string;
  /** An intermediate edit failed; the next update tries again. */
  readonly onError: (error: unknown) => void;
  /** The message can no longer be edited (it was deleted); stop trying. */
  readonly isGone: (error: unknown) => boolean;
}

export interface LatestWins {
  /** Records the newest text; cheap, never waits on the network. */
  update(text: string): void;
  /** Records the text the message keeps for good; it goes out at the next budget slot. */
  settle(text: string): void;
  /** Shows `text` and stops; rejects if that last edit fails. */
  finish(text: string): Promise<void>;
  /** The text the message shows, as far as we know. */
  readonly visible: string;
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
  let finished = false;
  let settled = false;
  let gone = false;
  let edits = 0;
  // A text whose edit failed is not retried on its own; the next update (or the final edit) tries.
  let failed: string | null = null;

  function sendNow(text: string): Promise<void> {
    const sending = options.send(text).then(() => {
      visible = text;
      edits += 1;
    });
    // The next edit waits for this one whatever its outcome: never two in flight.
    inFlight = sending.catch(() => undefined);
    return sending;
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      while (!finished && !gone && latest !== visible && latest !== failed) {
        await options.acquire();
        if (finished || gone) return; // the final edit has taken over
        const text = latest;
        await sendNow(text).catch((error: unknown) => noteFailure(error, text));
      }
    } finally {
      pumping = false;
    }
  }

  function noteFailure(error: unknown, text: string): void {
    if (options.isGone(error)) gone = true;
    else options.onError(error);
    failed = text;
  }

  function record(text: string): void {
    latest = text;
    if (!pumping && latest !== visible) pump().catch(options.onError);
  }

  return {
    update(text) {
      if (!finished && !gone && !settled) record(text);
    },
    settle(text) {
      if (finished || gone || settled) return;
      settled = true;
      record(text);
    },
    async finish(text) {
      finished = true;
      latest = text;
      await inFlight;
      if (gone || text === visible) return;
      await sendNow(text).catch((error: unknown) => {
        if (!options.isGone(error)) throw error;
        gone = true;
      });
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
