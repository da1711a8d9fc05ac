import { MESSAGE_LIMIT, lastPiece, reopenPrefix, sealPiece, takePiece } from './split-message.js';
import type { OpenFence, Piece } from './split-message.js';

// A cut is decided only once this much text beyond the limit is known, so that a mention or an emoji
// crossing the limit is seen whole and later text can never move a cut already made.
const LOOKAHEAD = 100;

export interface SplitView {
  /** Pieces that are final: their messages are never edited again. */
  readonly committed: readonly string[];
  /** What the message after them shows now. */
  readonly live: string;
}

export interface StreamSplitter {
  /** The split of a growing answer; committed pieces only ever grow in number. */
  view(text: string): SplitView;
  /** Commits all of `text` but a word being written, so the messages shown so far can stay as they are. */
  seal(text: string): SplitView;
  /** Every piece of the complete answer, the committed ones unchanged. */
  final(text: string): string[];
}

/** Splits text that keeps growing, committing each piece once it can no longer change. */
export function createStreamSplitter(limit = MESSAGE_LIMIT): StreamSplitter {
  const committed: string[] = [];
  let offset = 0;
  let fence: OpenFence | null = null;

  function commit(piece: Piece): void {
    committed.push(piece.content);
    offset += piece.consumed;
    fence = piece.fenceAfter;
  }

  function advance(text: string, complete: boolean): string {
    for (;;) {
      const rest = text.slice(offset);
      if (!complete && reopenPrefix(fence).length + rest.length <= limit + LOOKAHEAD) return rest;
      const piece = takePiece(rest, fence, limit);
      if (!piece) return rest;
      commit(piece);
    }
  }

  return {
    view(text) {
      const rest = advance(text, false);
      const tentative = takePiece(rest, fence, limit);
      return { committed, live: tentative ? tentative.content : lastPiece(rest, fence) };
    },
    seal(text) {
      const piece = sealPiece(advance(text, true), fence);
      if (piece) commit(piece);
      return { committed, live: lastPiece(text.slice(offset), fence) };
    },
    final(text) {
      const last = lastPiece(advance(text, true), fence);
      return last ? [...committed, last] : [...committed];
    },
  };
}
