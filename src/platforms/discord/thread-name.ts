// The name of a thread opened on a question: the question itself, as it reads in one line. Discord
// shows thread names as plain text, so Markdown markers would show as clutter; mentions arrive
// already written as names (discord.js cleanContent).

// Discord refuses a thread name longer than 100 characters (50035).
export const THREAD_NAME_LIMIT = 100;
// A cut name ends with this, so it reads as cut.
const ELLIPSIS = '…';

/** `question` as a thread name of at most 100 characters; `fallback` when nothing is left of it. */
export function threadName(question: string, fallback: string): string {
  const line = question
    // Custom emoji <:name:id> and <a:name:id> read as their :name:.
    .replace(/<a?(:\w+:)\d+>/g, '$1')
    // Links in angle brackets (no embed) read as the link.
    .replace(/<(https?:\/\/[^\s>]+)>/g, '$1')
    // Code fences, inline code, bold / italic stars, strikethrough, spoilers: the words stay.
    .replace(/```\w*|`|\*+|~~|\|\|/g, '')
    // Headings, quotes, subtext and list markers at the start of a line.
    .replace(/^\s*(?:#{1,3}|-#|>{1,3}|[-*+]) +/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return fallback;
  return line.length <= THREAD_NAME_LIMIT ? line : cut(line);
}

// Counted in UTF-16 units, as the fake and (we assume, it is not documented) Discord count, so an
// emoji takes two; cut at a word boundary when one is near the end, never inside a surrogate pair.
function cut(line: string): string {
  let room = '';
  for (const char of line) {
    if (room.length + char.length > THREAD_NAME_LIMIT - ELLIPSIS.length) break;
    room += char;
  }
  const space = room.lastIndexOf(' ');
  const kept = space >= room.length - 20 && space > 0 ? room.slice(0, space) : room;
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
