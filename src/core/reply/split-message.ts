// Splits an answer into messages that each fit a platform's length limit without breaking markdown:
// cut at a paragraph, else a line, else a word; never inside a surrogate pair, a mention or a URL;
// a fenced code block that crosses a cut is closed and reopened with the same info string.

/** Discord rejects message content longer than 2000 characters (code 50035). */
export const MESSAGE_LIMIT = 2000;

// String length counts UTF-16 units, never fewer than code points, so measuring with .length errs
// on the safe side whichever way Discord counts.

/** A fenced code block open at some point of the text. */
export interface OpenFence {
  readonly marker: string; // ``` or ~~~, possibly longer
  readonly info: string; // the language tag and the rest of the opening line
}

export interface Piece {
  /** The message content, fences closed and reopened as needed. */
  readonly content: string;
  /** How many characters of the input the piece used up, separators included. */
  readonly consumed: number;
  /** The fence still open where the next piece starts, if any. */
  readonly fenceAfter: OpenFence | null;
}

// Room kept for the "\n```" that closes a fence left open at a cut.
const CLOSE_RESERVE = 12;
// A cut is only good if the piece before it is reasonably full; otherwise try a weaker boundary.
const MIN_FILL = 0.5;
// Tokens a cut must not land inside: user/role/channel mentions, custom emoji, timestamps, URLs.
const UNBREAKABLE = /<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:-?\d+(?::[tTdDfFR])?>|https?:\/\/\S+/g;
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function reopenPrefix(fence: OpenFence | null): string {
  return fence ? `${fence.marker}${fence.info}\n` : '';
}

/**
 * Takes the first piece of `rest` (the text after the last cut, with `fence` open at its start).
 * Returns null when everything left fits in one message, so there is nothing to cut.
 */
export function takePiece(rest: string, fence: OpenFence | null, limit = MESSAGE_LIMIT): Piece | null {
  const prefix = reopenPrefix(fence);
  const skipped = fence ? 0 : leadingWhitespace(rest);
  const body = rest.slice(skipped);
  if (prefix.length + body.length <= limit) return null;

  const room = Math.max(1, limit - prefix.length - CLOSE_RESERVE);
  const { cut, separator } = chooseCut(body, room);
  const fenceAfter = fenceStateAfter(body.slice(0, cut), fence);
  const text = body.slice(0, cut).replace(/\s+$/u, '');
  const closing = fenceAfter ? `\n${fenceAfter.marker}` : '';
  return { content: prefix + text + closing, consumed: skipped + cut + separator, fenceAfter };
}

/** Splits a complete text into pieces that each fit `limit`. */
export function splitMessage(text: string, limit = MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  let fence: OpenFence | null = null;
  for (let piece = takePiece(rest, fence, limit); piece; piece = takePiece(rest, fence, limit)) {
    pieces.push(piece.content);
    rest = rest.slice(piece.consumed);
    fence = piece.fenceAfter;
  }
  const last = lastPiece(rest, fence);
  if (last) pieces.push(last);
  return pieces;
}

/**
 * Cuts everything left that fits, ending at the last whitespace so a word being written is not split;
 * for a message that must stop changing now. Null when there is no text to cut.
 */
export function sealPiece(rest: string, fence: OpenFence | null): Piece | null {
  const skipped = fence ? 0 : leadingWhitespace(rest);
  const body = rest.slice(skipped);
  if (body.trim() === '') return null;
  const space = lastWhitespace(body, body.length - 1);
  const cut = space > 0 ? space : body.length;
  const fenceAfter = fenceStateAfter(body.slice(0, cut), fence);
  const closing = fenceAfter ? `\n${fenceAfter.marker}` : '';
  const content = reopenPrefix(fence) + body.slice(0, cut).replace(/\s+$/u, '') + closing;
  return { content, consumed: skipped + cut + (space > 0 ? 1 : 0), fenceAfter };
}

/** What is left after the final cut, as message content; empty when nothing but whitespace is left. */
export function lastPiece(rest: string, fence: OpenFence | null): string {
  if (rest.trim() === '') return '';
  return reopenPrefix(fence) + (fence ? rest : rest.trimStart());
}

function leadingWhitespace(text: string): number {
  return text.length - text.trimStart().length;
}

interface Cut {
  readonly cut: number; // the piece is body[0, cut)
  readonly separator: number; // characters after the cut that belong to neither piece
}

function chooseCut(body: string, room: number): Cut {
  // Two characters past the room, so a separator that starts right at the limit is seen whole.
  const window = body.slice(0, room + 2);
  const minimum = Math.floor(room * MIN_FILL);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator, room);
    if (at >= minimum && at > 0) return { cut: at, separator: separator.length };
  }
  const wordBreak = lastWhitespace(window, room);
  if (wordBreak > 0) return { cut: wordBreak, separator: 1 };
  return { cut: hardCut(body, room), separator: 0 };
}

function lastWhitespace(window: string, room: number): number {
  for (let index = Math.min(room, window.length - 1); index > 0; index -= 1) {
    if (/\s/u.test(window[index] ?? '')) return index;
  }
  return -1;
}

// No whitespace to cut at: cut at the limit, but step back out of a surrogate pair or a token.
function hardCut(body: string, room: number): number {
  let cut = room;
  for (const match of body.matchAll(UNBREAKABLE)) {
    const start = match.index;
    if (start >= cut) break;
    if (start + match[0].length > cut && start > 0) cut = start;
  }
  if (isHighSurrogate(body.charCodeAt(cut - 1))) cut -= 1;
  return Math.max(1, cut);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Tracks which fence, if any, is open at the end of `text`, given the one open at its start. */
export function fenceStateAfter(text: string, fence: OpenFence | null): OpenFence | null {
  let open = fence;
  for (const line of text.split('\n')) {
    const match = FENCE_LINE.exec(line);
    if (!match) continue;
    const marker = match[1] ?? '';
    const info = match[2] ?? '';
    if (!open) {
      open = { marker, info: info.trim() };
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && info.trim() === '') {
      open = null;
    }
  }
  return open;
}
