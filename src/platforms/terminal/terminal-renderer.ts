import type { TerminalStyle } from './terminal-style.js';

// Prints answers as they stream. The model hands over the whole text so far with every delta; a
// terminal cannot edit what it printed, so only the part not printed yet is written. After the answer:
// the notice that ended it, if any, and the usage line.

export interface TerminalOutput {
  write(text: string): unknown;
}

/** How an answer ended, in the words the terminal shows. */
export interface AnswerEnd {
  /** The whole answer text; whatever of it the stream had not shown yet is printed first. */
  readonly answer: string;
  readonly notice: string | null;
  readonly usage: string | null;
}

export interface TerminalRenderer {
  /** The answer so far (each snapshot extends the one before): prints what is new. */
  update(snapshot: string): void;
  /** Ends the answer on a line of its own, with its notice and usage line under it, then a blank line. */
  finish(end: AnswerEnd): void;
  /** One line of the chat's own (a reply to a command, the greeting). */
  line(text: string): void;
}

export function createTerminalRenderer(output: TerminalOutput, style: TerminalStyle): TerminalRenderer {
  // Characters of the current answer already printed.
  let printed = 0;
  // Whether the cursor is at the start of a line; the user's Enter put it there.
  let atLineStart = true;

  function write(text: string): void {
    if (text === '') return;
    output.write(text);
    atLineStart = text.endsWith('\n');
  }

  function update(snapshot: string): void {
    if (snapshot.length <= printed) return;
    write(snapshot.slice(printed));
    printed = snapshot.length;
  }

  return {
    update,
    finish(end) {
      update(end.answer);
      if (!atLineStart) write('\n');
      if (end.notice !== null) write(`${style.notice(end.notice)}\n`);
      if (end.usage !== null) write(`${style.dim(end.usage)}\n`);
      write('\n');
      printed = 0;
    },
    line(text) {
      if (!atLineStart) write('\n');
      write(`${style.dim(text)}\n`);
    },
  };
}
