import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AbortReason } from '../../../../src/core/answer/answer-outcome.js';
import type { ChatSession } from '../../../../src/platforms/terminal/chat-session.js';
import { runTerminalChat, terminalModes } from '../../../../src/platforms/terminal/terminal-chat.js';
import { terminalStyle } from '../../../../src/platforms/terminal/terminal-style.js';

// A session that records what reached it (and emits each line it is handed as 'line'); a line
// starting with "slow" emits 'started' and waits until the test lets it end.
function recordingSession() {
  const events: string[] = [];
  let release: (() => void) | undefined;
  let state: ChatSession['state'] = 'idle';
  const started = new EventEmitter();
  const session: ChatSession = {
    async handle(line) {
      events.push(`line:${line}`);
      started.emit('line', line);
      if (line === '/exit') return 'exit';
      if (line.startsWith('slow')) {
        state = 'answering';
        started.emit('started');
        await new Promise<void>((resolve) => (release = resolve));
        if (session.state !== 'closed') state = 'idle';
      }
      return session.state === 'closed' ? 'exit' : 'more';
    },
    interrupt() {
      events.push('interrupt');
      if (state !== 'answering') return 'quit';
      state = 'stopping';
      release?.();
      return 'stopped';
    },
    close(reason: AbortReason) {
      events.push(`close:${reason.cause}`);
      state = 'closed';
      release?.();
    },
    get state() {
      return state;
    },
  };
  return { session, events, started, release: () => release?.() };
}

function run(options: { interactive: boolean; session: ChatSession }) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => (shown += chunk));
  const signals = new EventEmitter();
  const done = runTerminalChat({
    input,
    output,
    signals,
    style: terminalStyle(false),
    prompt: '> ',
    greeting: 'Welcome.',
    ...options,
  });
  return { input, signals, done, shown: () => shown };
}

describe('runTerminalChat', () => {
  it('hands piped lines over one at a time, in order, and ends after the last at the end of input', async () => {
    const { session, events, started, release } = recordingSession();
    const chat = run({ interactive: false, session });
    const answering = once(started, 'started');
    chat.input.end('slow one\ntwo\nthree\n');
    await answering;
    expect(events).toEqual(['line:slow one']);
    release();
    await chat.done;
    expect(events).toEqual(['line:slow one', 'line:two', 'line:three']);
    // Piped: no greeting and no prompt, only what the session prints.
    expect(chat.shown()).toBe('');
  });

  it('passes SIGINT to the session, quits when it has nothing to stop, and quits on SIGTERM', async () => {
    const { session, events, started } = recordingSession();
    const chat = run({ interactive: false, session });
    const answering = once(started, 'started');
    chat.input.write('slow story\n');
    await answering;
    chat.signals.emit('SIGINT');
    chat.signals.emit('SIGTERM');
    await chat.done;
    expect(events).toEqual(['line:slow story', 'interrupt', 'close:shutdown']);
    expect(chat.signals.listenerCount('SIGINT') + chat.signals.listenerCount('SIGTERM')).toBe(0);

    const idle = recordingSession();
    const quitting = run({ interactive: false, session: idle.session });
    quitting.signals.emit('SIGINT');
    await quitting.done;
    expect(idle.events).toEqual(['interrupt', 'close:shutdown']);
  });

  it('in a terminal: greets, prompts, clears a typed line on Ctrl-C and quits on Ctrl-C at an empty prompt', async () => {
    const { session, events, started } = recordingSession();
    const chat = run({ interactive: true, session });
    const handled = once(started, 'line');
    chat.input.write('half typed');
    chat.input.write('\x03');
    chat.input.write('hi\r');
    expect(await handled).toEqual(['hi']);
    chat.input.write('\x03');
    await chat.done;
    expect(events).toEqual(['line:hi', 'interrupt', 'close:shutdown']);
    expect(chat.shown()).toMatch(/^Welcome\.\n/);
    expect(chat.shown()).toContain('> ');
    // The shell's prompt will start on a line of its own.
    expect(chat.shown()).toMatch(/\n$/);
  });

  it('answers no line typed ahead once a Ctrl-C quits', async () => {
    const { session, events } = recordingSession();
    const chat = run({ interactive: true, session });
    chat.input.write('typed ahead\r\x03');
    await chat.done;
    expect(events).toEqual(['interrupt', 'close:shutdown']);
  });

  it('ends on /exit', async () => {
    const { session, events } = recordingSession();
    const chat = run({ interactive: false, session });
    chat.input.write('/exit\nnever read\n');
    await chat.done;
    expect(events).toEqual(['line:/exit']);
  });
});

describe('terminalModes', () => {
  it('is interactive only with a terminal at both ends, and colours only a terminal that shows them', () => {
    const tty = { isTTY: true };
    const colourful = { isTTY: true, hasColors: () => true };
    const dull = { isTTY: true, hasColors: () => false };
    const pipe = new PassThrough();
    expect(terminalModes({ input: Object.assign(new PassThrough(), tty), output: colourful as never })).toEqual({
      interactive: true,
      colors: true,
    });
    expect(terminalModes({ input: pipe, output: colourful as never })).toEqual({ interactive: false, colors: true });
    expect(terminalModes({ input: Object.assign(new PassThrough(), tty), output: dull as never })).toEqual({
      interactive: true,
      colors: false,
    });
    expect(terminalModes({ input: Object.assign(new PassThrough(), tty), output: pipe })).toEqual({
      interactive: false,
      colors: false,
    });
  });
});
