import type { AbortReason } from '../../core/answer/answer-outcome.js';
import { askModel } from '../../core/answer/model-turn.js';
import type { ModelTurn, ModelTurnDeps, TurnReply } from '../../core/answer/model-turn.js';
import type { Question } from '../../core/prompt/question.js';
import { terminalText } from '../../core/user-text.js';
import { parseInput } from './chat-input.js';
import type { TerminalRenderer } from './terminal-renderer.js';
import { turnNotice } from './turn-notice.js';
import { usageLine } from './usage-line.js';

// One conversation in the terminal. Each question is one model turn of the core (history within its
// limits, the request, the stream, the idle timer, how it ended), printed as it streams; the exchange
// is kept as the bot keeps a channel's. The session owns its state: Ctrl-C stops the answer being
// written, and a second Ctrl-C, or one with nothing to stop, asks to quit.

/** The terminal's one conversation, as the store knows it. */
export const TERMINAL_CONVERSATION = 'terminal';
const TERMINAL_USER = 'terminal';

export type SessionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'answering'; readonly controller: AbortController }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'closed' };

export interface ChatSessionDeps extends ModelTurnDeps {
  readonly renderer: TerminalRenderer;
}

export interface ChatSession {
  /** Handles one line; resolves once everything it prints is out. 'exit' when it asked to quit. */
  handle(line: string): Promise<'more' | 'exit'>;
  /** Ctrl-C: 'stopped' when it stopped the answer being written; 'quit' when there was none to stop. */
  interrupt(): 'stopped' | 'quit';
  /** No more lines: an answer being written ends with `reason`'s notice. */
  close(reason: AbortReason): void;
  readonly state: SessionState['kind'];
}

// Ctrl-C in the terminal: the core's reason for a stop, by the only person there.
const STOPPED: AbortReason = { cause: 'stopped', by: TERMINAL_USER };

export function createChatSession(deps: ChatSessionDeps): ChatSession {
  const { renderer, conversations, logger, clock } = deps;
  let state: SessionState = { kind: 'idle' };
  let turns = 0;
  // Read through a function: close() may change the state while a turn is awaited.
  const closed = () => state.kind === 'closed';
  // Everything printed stays printed: a terminal has nothing to seal before a deadline (it has none).
  const reply: TurnReply = { update: (snapshot) => renderer.update(snapshot), seal: () => {} };

  async function ask(text: string): Promise<void> {
    const controller = new AbortController();
    state = { kind: 'answering', controller };
    turns += 1;
    const question: Question = {
      id: `turn-${turns}`,
      channelId: TERMINAL_CONVERSATION,
      authorId: TERMINAL_USER,
      text,
      remember: true,
    };
    const turn = await askModel(deps, { question, target: {} }, reply, controller);
    show(turn);
    // Kept as the bot keeps a channel's exchanges: a stopped or failed answer with its partial text.
    if (turn.ending.answer.trim() !== '') {
      const exchange = { id: question.id, question: text, answer: turn.ending.answer };
      await conversations.upsert(TERMINAL_CONVERSATION, exchange).catch((error: unknown) => {
        logger.error({ err: error }, 'could not store the exchange');
      });
    }
    if (!closed()) state = { kind: 'idle' };
  }

  function show(turn: ModelTurn): void {
    const finished = clock.elapsed();
    // The pages it cites are listed under the answer (plain Markdown links), as in a channel.
    const answer = turn.ending.answer + (turn.ending.sourcesList ?? '');
    renderer.finish({ answer, notice: turnNotice(turn.ending), usage: usageLine(turn, finished) });
  }

  async function reset(): Promise<void> {
    const dropped = await conversations.clear(TERMINAL_CONVERSATION);
    renderer.line(terminalText.cleared(dropped));
  }

  return {
    async handle(line) {
      if (closed()) return 'exit';
      const input = parseInput(line);
      switch (input.kind) {
        case 'blank':
          return 'more';
        case 'exit':
          return 'exit';
        case 'reset':
          await reset();
          return 'more';
        case 'unknown':
          renderer.line(terminalText.unknownCommand(input.name));
          return 'more';
        case 'question':
          await ask(input.text);
          return closed() ? 'exit' : 'more';
      }
    },
    interrupt() {
      if (state.kind !== 'answering') return 'quit';
      state.controller.abort(STOPPED);
      state = { kind: 'stopping' };
      return 'stopped';
    },
    close(reason) {
      if (state.kind === 'answering') state.controller.abort(reason);
      state = { kind: 'closed' };
    },
    get state() {
      return state.kind;
    },
  };
}
