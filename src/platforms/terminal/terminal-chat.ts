import type { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { ChatSession } from './chat-session.js';
import type { TerminalStyle } from './terminal-style.js';

// The chat's input side: lines from readline to the session, one at a time (lines typed or piped
// meanwhile wait their turn), and the keys. In a terminal readline owns the keyboard (raw mode), so
// Ctrl-C reaches us as readline's SIGINT rather than as a signal; piped, it is the process's SIGINT.

export interface TerminalStreams {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { readonly isTTY?: boolean; hasColors?(): boolean };
}

export interface TerminalModes {
  /** Both ends are a terminal: line editing, a prompt, the greeting and Ctrl-C as a key. */
  readonly interactive: boolean;
  /** The output is a terminal that shows colours (Node's check: NO_COLOR, FORCE_COLOR, TERM=dumb). */
  readonly colors: boolean;
}

export function terminalModes({ input, output }: TerminalStreams): TerminalModes {
  const outputIsTTY = output.isTTY === true;
  return {
    interactive: input.isTTY === true && outputIsTTY,
    colors: outputIsTTY && output.hasColors?.() === true,
  };
}

export interface TerminalChatOptions extends TerminalStreams {
  readonly session: ChatSession;
  readonly style: TerminalStyle;
  readonly interactive: boolean;
  readonly prompt: string;
  /** Shown once before the first prompt, in interactive mode only. */
  readonly greeting: string;
  /** Where SIGINT and SIGTERM arrive: the process. */
  readonly signals: EventEmitter;
}

/** Runs the chat until /exit, the end of input (Ctrl-D) or a Ctrl-C that quits; resolves then. */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { input, output, session, style, interactive, signals } = options;
  const lines = interactive
    ? createInterface({ input, output, terminal: true, prompt: style.prompt(options.prompt) })
    : createInterface({ input, terminal: false });
  // True while the prompt waits for a line: quitting then starts the shell's prompt on a line of its own.
  let prompting = false;
  let quitting = false;

  const quit = () => {
    quitting = true;
    // Ends a running answer with the same notice as SIGTERM would: nobody is there to read it anyway.
    session.close({ cause: 'shutdown' });
    lines.close();
  };
  const interrupt = () => {
    // At a prompt with something typed, Ctrl-C clears the line, as in a shell.
    if (prompting && lines.line !== '') {
      lines.write(null, { ctrl: true, name: 'e' });
      lines.write(null, { ctrl: true, name: 'u' });
      return;
    }
    if (session.interrupt() === 'quit') quit();
  };
  const prompt = () => {
    if (!interactive) return;
    prompting = true;
    lines.prompt();
  };
  lines.on('SIGINT', interrupt);
  signals.on('SIGINT', interrupt);
  signals.on('SIGTERM', quit);
  try {
    if (interactive) output.write(`${style.dim(options.greeting)}\n`);
    prompt();
    for await (const line of lines) {
      // Lines typed ahead are still queued when a Ctrl-C quits: they go unanswered.
      if (quitting) break;
      prompting = false;
      if ((await session.handle(line)) === 'exit' || quitting) break;
      prompt();
    }
  } finally {
    signals.off('SIGINT', interrupt);
    signals.off('SIGTERM', quit);
    lines.close();
    if (prompting) output.write('\n');
  }
}
