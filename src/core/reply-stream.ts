import type { EditBudgets } from './edit-budget.js';
import { createLatestWins } from './latest-wins.js';
import type { LatestWins } from './latest-wins.js';
import type { Logger } from './logger.js';
import { MessageGoneError } from './reply-target.js';
import type { PostedMessage, ReplyTarget } from './reply-target.js';
import { createStreamSplitter } from './stream-splitter.js';
import { notices } from './user-text.js';

// Shows a growing answer as a chain of messages: the first replies to the question, later ones
// continue it once the text passes the length limit. A message whose piece is committed gets its
// final edit and is never touched again; only the last message follows the stream.

export interface ReplyStreamOptions {
  readonly target: ReplyTarget;
  readonly budgets: EditBudgets;
  readonly logger: Logger;
  readonly placeholder: string;
  readonly limit?: number;
}

export interface ReplyStream {
  /** Posts the placeholder; must resolve before updates. */
  open(): Promise<void>;
  /** The newest full text of the answer; cheap, never waits on the network. */
  update(text: string): void;
  /** Freezes what is shown so far; text after this goes to new messages. */
  seal(): void;
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
  const { target, budgets, logger } = options;
  const splitter = createStreamSplitter(options.limit);
  // slots[i] shows piece i of the answer; retired slots no longer show any piece.
  const slots: Slot[] = [];
  const retired: Slot[] = [];
  let latest = '';
  const warn = (message: string) => (error: unknown) =>
    logger.warn({ err: error, channelId: target.channelId }, message);

  function addSlot(message: Promise<PostedMessage>, initial: string): Slot {
    const editor = createLatestWins({
      initial,
      acquire: async () => budgets.for((await message).budgetKey).acquire(),
      send: async (text) => (await message).edit(text),
      isGone,
      onError: warn('edit failed'),
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
    posting.catch(warn('follow-up failed'));
    return addSlot(posting, content);
  }

  // A message that rolled over keeps its piece: it gets it at the next budget slot, or at the latest
  // when the answer ends.
  function finalize(slot: Slot, content: string): void {
    if (slot.final) return;
    slot.final = true;
    slot.editor.settle(content);
  }

  function show(pieces: readonly string[], live: string): void {
    pieces.forEach((piece, index) => finalize(slotAt(index, piece), piece));
    if (live) slotAt(pieces.length, live).editor.update(live);
  }

  return {
    async open() {
      addSlot(Promise.resolve(await target.start(options.placeholder)), options.placeholder);
    },
    update(text) {
      latest = text;
      const view = splitter.view(text);
      show(view.committed, view.live);
    },
    seal() {
      const view = splitter.seal(latest);
      // A live message that got no text yet must not stay on its placeholder.
      const unfilled = slots.splice(view.committed.length);
      for (const slot of unfilled) finalize(slot, notices.continuesBelow);
      retired.push(...unfilled);
      show(view.committed, view.live);
    },
    async finish(text) {
      const pieces = splitter.final(text);
      for (const [index, piece] of pieces.entries()) {
        const slot = slotAt(index, piece);
        slot.final = true;
        await slot.message;
        await slot.editor.finish(piece);
      }
      for (const slot of retired) await slot.editor.finish(notices.continuesBelow);
    },
    get edits() {
      return [...slots, ...retired].reduce((sum, slot) => sum + slot.editor.edits, 0);
    },
  };
}
