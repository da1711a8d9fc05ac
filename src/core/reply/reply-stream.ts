import { createLatestWins } from './latest-wins.js';
import type { LatestWins } from './latest-wins.js';
import type { Logger } from '../ports/logger.js';
import { view } from './message-view.js';
import type { Control, MessageView } from './message-view.js';
import { GoneError, RateLimitedError, isUnreachable } from './platform-errors.js';
import type { PostedMessage, ReplyTarget } from './reply-target.js';
import { MESSAGE_LIMIT } from './split-message.js';
import { statusView } from './status-view.js';
import { createStreamSplitter } from './stream-splitter.js';
import { notices } from '../user-text.js';
import type { WriteBudgets } from './write-budgets.js';
import type { WriteTally } from './write-tally.js';

// Shows a growing answer as a chain of messages: the first replies to the question, later ones
// continue it once the text passes the length limit. A message whose piece is committed gets its
// final edit and is never touched again; only the last message follows the stream, with a Stop button.
// Edits draw on the write budget of their message's bucket (the target posts through it itself, as
// only it knows where a post goes): intermediate ones as 'edit', the ones that end the reply as 'final'.

export interface ReplyStreamOptions {
  readonly target: ReplyTarget;
  readonly budgets: WriteBudgets;
  readonly logger: Logger;
  readonly placeholder: string;
  /** A message of the reply can no longer be changed: deleted, or the bot lost access to it. */
  readonly onGone: () => void;
  /** A message of the reply was posted. */
  readonly onPosted: () => void;
  readonly limit?: number;
  /** Counts the 429s the reply's writes receive; nothing is counted without it. */
  readonly tally?: WriteTally;
}

export interface ReplyStream {
  /** Posts the placeholder; updates may come before it has landed. */
  open(): Promise<void>;
  /** The newest full text of the answer; cheap, never waits on the network. */
  update(text: string): void;
  /**
   * Shows `line` (thinking, searching…) on the live message under the text so far, or alone before
   * any text; null takes it away. Never part of the answer: the final display never shows it.
   */
  status(line: string | null): void;
  /** Freezes what is shown so far; text after this goes to new messages. */
  seal(): void;
  /** Shows exactly `text` (split as needed), `controls` under its last message; resolves once all show. */
  finish(text: string, controls: readonly Control[]): Promise<void>;
  /** The reply's messages posted so far, in order (retired ones left out). */
  messages(): Promise<PostedMessage[]>;
  /** What the last message shows. */
  readonly lastView: MessageView;
  /** Edits that reached the platform so far, over all messages. */
  readonly edits: number;
}

interface Slot {
  readonly message: Promise<PostedMessage>;
  readonly editor: LatestWins;
  final: boolean;
}

const STREAMING: readonly Control[] = ['stop'];

export function createReplyStream(options: ReplyStreamOptions): ReplyStream {
  const { target, budgets, logger } = options;
  // Every post and edit of the reply goes through here, so that its 429s count for this answer.
  const write = <T>(request: () => Promise<T>): Promise<T> => options.tally?.run(request) ?? request();
  const splitter = createStreamSplitter(options.limit);
  // slots[i] shows piece i of the answer; retired slots no longer show any piece.
  const slots: Slot[] = [];
  const retired: Slot[] = [];
  let latest = '';
  let statusLine: string | null = null;
  let finishing = false;
  const limit = options.limit ?? MESSAGE_LIMIT;
  const warn = (message: string) => (error: unknown) =>
    logger.warn({ err: error, channelId: target.channelId }, message);

  function addSlot(message: Promise<PostedMessage>, initial: MessageView): Slot {
    const editor = createLatestWins({
      initial,
      acquire: async (kind, signal) => budgets.for((await message).budgetKey).acquire(kind, signal),
      send: (next) => write(async () => held(await message, next)),
      isGone: (error) => {
        if (!isUnreachable(error)) return false;
        // A deletion is the user's doing; lost access or an expired token is worth a line in the log.
        if (!(error instanceof GoneError)) warn('the reply can no longer be edited')(error);
        options.onGone();
        return true;
      },
      onError: warn('edit failed'),
    });
    const slot = { message, editor, final: false };
    slots.push(slot);
    return slot;
  }

  // An edit refused for rate limits holds its bucket for the Retry-After the platform gave (where the
  // platform client does not wait by itself, as Slack's does not): the editor's next slot comes after.
  async function held(message: PostedMessage, next: MessageView): Promise<void> {
    try {
      await message.edit(next);
    } catch (error) {
      if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) {
        budgets.rateLimited(message.budgetKey, error.retryAfterMs);
      }
      throw error;
    }
  }

  // A follow-up is posted with its first text, so it costs no edit.
  function slotAt(index: number, initial: MessageView): Slot {
    const existing = slots[index];
    if (existing) return existing;
    const posting = write(() => target.followUp(initial));
    posting.then(options.onPosted, warn('follow-up failed'));
    return addSlot(posting, initial);
  }

  // A message that rolled over keeps its piece: it gets it at the next budget slot, or at the latest
  // when the answer ends.
  function settle(slot: Slot, settled: MessageView): void {
    if (slot.final) return;
    slot.final = true;
    slot.editor.settle(settled);
  }

  function show(pieces: readonly string[], live: string): void {
    pieces.forEach((piece, index) => settle(slotAt(index, view(piece)), view(piece)));
    const shown = statusView(live, statusLine, limit, STREAMING);
    if (shown.content) slotAt(pieces.length, shown).editor.update(shown);
  }

  return {
    async open() {
      const placeholder = view(options.placeholder, STREAMING);
      // The slot exists at once, so text that arrives before the placeholder has landed waits for it.
      const posting = write(() => target.start(placeholder));
      addSlot(posting, placeholder);
      await posting;
      options.onPosted();
    },
    update(text) {
      latest = text;
      const split = splitter.view(text);
      show(split.committed, split.live);
    },
    status(line) {
      // A tick after the end must not bring a message back.
      if (finishing || line === statusLine) return;
      statusLine = line;
      const split = splitter.view(latest);
      show(split.committed, split.live);
    },
    seal() {
      const split = splitter.seal(latest);
      // A live message that got no text yet must not stay on its placeholder.
      const unfilled = slots.splice(split.committed.length);
      for (const slot of unfilled) settle(slot, view(notices.continuesBelow));
      retired.push(...unfilled);
      show(split.committed, split.live);
    },
    async finish(text, controls) {
      finishing = true;
      statusLine = null;
      const pieces = splitter.final(text);
      for (const [index, piece] of pieces.entries()) {
        const last = index === pieces.length - 1;
        const final = view(piece, last ? controls : []);
        const slot = slotAt(index, final);
        slot.final = true;
        await slot.message;
        await slot.editor.finish(final);
      }
      for (const slot of retired) await slot.editor.finish(view(notices.continuesBelow));
    },
    messages: () => Promise.all(slots.map((slot) => slot.message)),
    get lastView() {
      return slots.at(-1)?.editor.visible ?? view('');
    },
    get edits() {
      return [...slots, ...retired].reduce((sum, slot) => sum + slot.editor.edits, 0);
    },
  };
}
