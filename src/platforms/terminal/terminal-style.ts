// How the chat's own lines look. In a terminal that shows colours the prompt, notices and usage line
// stand apart from Claude's text; piped (or with NO_COLOR, or TERM=dumb) everything is plain text,
// so a file or another program gets the words alone.

export interface TerminalStyle {
  /** The prompt before what the user types. */
  readonly prompt: (text: string) => string;
  /** What ended an answer early, or instead of it. */
  readonly notice: (text: string) => string;
  /** The chat's own lines: the usage line, the greeting, replies to commands. */
  readonly dim: (text: string) => string;
}

// Select Graphic Rendition: turn an attribute on, then only that attribute off again.
const sgr =
  (on: string, off: string) =>
  (text: string): string =>
    `\x1b[${on}m${text}\x1b[${off}m`;
const plain = (text: string): string => text;

export function terminalStyle(colors: boolean): TerminalStyle {
  if (!colors) return { prompt: plain, notice: plain, dim: plain };
  return { prompt: sgr('1;36', '22;39'), notice: sgr('33', '39'), dim: sgr('2', '22') };
}
