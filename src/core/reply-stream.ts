import { createLatestWins } from './latest-wins.js';
import type { LatestWins } from './latest-wins.js';
import type { EditBudget } from './edit-budget.js';
import type { Logger } from './logger.js';
import { MessageGoneError } from './reply-target.js';
import type { PostedMessage, ReplyTarget } from './reply-target.js';
import { createStreamSplitter } from './stream-splitter.js';

// Shows a growing answer as a chain of messages: the first replies to the question, later ones
// continue it once the text passes the length limit. A message whose piece is committed gets its
// final edit and is never touched again; only the last message follows the stream.

export interface ReplyStreamOptions {
  readonly target: ReplyTarget;
  readonly budget: EditBudget;
  readonly logger: Logger;
  readonly placeholder: string;
  readonly limit?: number;
}

export interface ReplyStream {
  /** Posts the placeholder; must resolve before updates. */
  open(): Promise<void>;
  /** The newest full text of the answer; cheap, never waits on the network. */
  update(text: string): void;
  /** Shows exactly `text` (split as needed) and resolves once every message shows its piece. */
  finish(text: string): Promise<void>;
  /** Edits that reached the platform so far, over all messages. */
  readonly edits: number;
}

interface Slot {
  readonly message: Promise<PostedMessage>;
  readonly editor: LatestWins;
  final: boolean;
}

const isGone = (error: unknown): boolean => error instanceof MessageGoneError;

export function createReplyStream(options: ReplyStreamOptions): ReplyStream {
  const { target, budget, logger } = options;
  const splitter = createStreamSplitter(options.limit);
  const slots: Slot[] = [];

  function addSlot(message: Promise<PostedMessage>, initial: string): Slot {
    const editor = createLatestWins({
      initial,
      acquire: () => budget.acquire(),
      send: async (text) => (await message).edit(text),
      isGone,
      onError: (error) => logger.warn({ err: error, channelId: target.channelId }, 'edit failed'),
    });
    const slot = { message, editor, final: false };
    slots.push(slot);
    return slot;
  }

  // A follow-up is posted with its first text, so it costs no edit.
  function slotAt(index: number, content: string): Slot {
    const existing = slots[index];
    if (existing) return existing;
    const posting = target.followUp(content);
    posting.catch((error: unknown) => logger.warn({ err: error, channelId: target.channelId }, 'follow-up failed'));
    return addSlot(posting, content);
  }

  function show(pieces: readonly string[], live: string | null): void {
    pieces.forEach((piece, index) => {
      const slot = slotAt(index, piece);
      if (slot.final) return;
      slot.final = true;
      // The final edit of a rolled-over message; the answer's own end awaits every slot.
      slot.editor.finish(piece).catch((error: unknown) => logger.warn({ err: error }, 'final edit failed'));
    });
    if (live) slotAt(pieces.length, live).editor.update(live);
  }

  return {
    async open() {
      const first = await target.start(options.placeholder);
      addSlot(Promise.resolve(first), options.placeholder);
    },
    update(text) {
      const view = splitter.view(text);
      show(view.committed, view.live || null);
    },
    async finish(text) {
      const pieces = splitter.final(text);
      for (const [index, piece] of pieces.entries()) {
        const slot = slotAt(index, piece);
        slot.final = true;
        await slot.message;
        await slot.editor.finish(piece);
      }
    },
    get edits() {
      return slots.reduce((sum, slot) => sum + slot.editor.edits, 0);
    },
  };
}
