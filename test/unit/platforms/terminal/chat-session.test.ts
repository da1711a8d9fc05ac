import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { ModelError } from '../../../../src/core/ports/model.js';
import type { ChatModel, ModelRequest, ModelResult, StreamHandlers } from '../../../../src/core/ports/model.js';
import { createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';
import { terminalText } from '../../../../src/core/user-text.js';
import { createChatSession } from '../../../../src/platforms/terminal/chat-session.js';
import { createTerminalRenderer } from '../../../../src/platforms/terminal/terminal-renderer.js';
import { terminalStyle } from '../../../../src/platforms/terminal/terminal-style.js';
import { createMemoryStore } from '../../../../src/storage/memory-store.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Call {
  readonly request: ModelRequest;
  readonly handlers: StreamHandlers;
  readonly signal: AbortSignal;
  finish(text: string): void;
}

// A model the test plays by hand: each stream waits until the test finishes it, or until it is aborted.
function manualModel() {
  const calls: Call[] = [];
  const waiting: ((call: Call) => void)[] = [];
  const model: ChatModel = {
    stream(request, handlers, signal) {
      return new Promise<ModelResult>((resolve, reject) => {
        const usage = { inputTokens: 5, outputTokens: 3, cacheReadTokens: 0, cacheCreationTokens: 0 };
        signal.addEventListener('abort', () => reject(new ModelError('aborted', 'aborted', { usage })));
        const call = {
          request,
          handlers,
          signal,
          finish: (text: string) => resolve({ text, stopReason: 'end_turn', usage }),
        };
        calls.push(call);
        waiting.shift()?.(call);
      });
    },
    countTokens: () => Promise.resolve(0),
  };
  const next = (): Promise<Call> => new Promise((resolve) => waiting.push(resolve));
  return { model, calls, next };
}

function manualClock(): Clock & { set(ms: number): void } {
  let now = 0;
  return { now: () => now, elapsed: () => now, set: (ms) => void (now = ms) };
}

function setup() {
  const { model, calls, next } = manualModel();
  const clock = manualClock();
  let printed = '';
  const session = createChatSession({
    model,
    conversations: createMemoryStore({ keep: 10 }),
    logger: silent,
    clock,
    history: { maxTurns: 10, maxTokens: 8000 },
    estimator: createTokenEstimator(),
    system: 'Be brief.',
    maxTokens: 100,
    idleTimeoutMs: 60_000,
    renderer: createTerminalRenderer({ write: (text: string) => (printed += text) }, terminalStyle(false)),
  });
  return { session, calls, next, clock, printed: () => printed };
}

describe('createChatSession', () => {
  it('streams each answer, keeps the conversation and times the usage line on its clock', async () => {
    const { session, next, clock, printed } = setup();
    const first = session.handle('hello');
    const call = await next();
    expect(session.state).toBe('answering');
    clock.set(250);
    call.handlers.onText('Hi', 'Hi');
    expect(printed()).toBe('Hi');
    call.handlers.onText(' there.', 'Hi there.');
    clock.set(1250);
    call.finish('Hi there.');
    expect(await first).toBe('more');
    expect(session.state).toBe('idle');
    expect(printed()).toBe('Hi there.\n5 in (0 cache read) · 3 out · first token 250 ms · 3 tokens/s\n\n');

    const second = session.handle('and you?');
    const followUp = await next();
    followUp.finish('Fine.');
    await second;
    expect(followUp.request.system).toBe('Be brief.');
    expect(followUp.request.messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'Hi there.' },
      { role: 'user', content: 'and you?' },
    ]);
  });

  it('marks cited text and lists the sources under the answer', async () => {
    const { session, next, printed } = setup();
    const asked = session.handle('where?');
    const call = await next();
    call.handlers.onText('In Paris', 'In Paris');
    call.handlers.onCitations?.([{ url: 'https://example.com/p', title: 'Paris' }]);
    call.handlers.onText('.', 'In Paris.');
    call.finish('In Paris.');
    await asked;
    expect(printed()).toMatch(/^In Paris \[1\]\.\n\n\*\*Sources\*\*\n1\. \[Paris\]\(https:\/\/example\.com\/p\)\n/);
  });

  it('stops the answer being written on interrupt, keeping its text, and quits on the next', async () => {
    const { session, next, printed } = setup();
    expect(session.interrupt()).toBe('quit');
    const asked = session.handle('tell me');
    const call = await next();
    call.handlers.onText('Once upon', 'Once upon');
    expect(session.interrupt()).toBe('stopped');
    expect(call.signal.aborted).toBe(true);
    expect(session.state).toBe('stopping');
    // Twice quickly: a second interrupt while the first is still ending the answer quits.
    expect(session.interrupt()).toBe('quit');
    expect(await asked).toBe('more');
    expect(printed()).toMatch(new RegExp(`^Once upon\\n${terminalText.stopped}\\n5 in`));
    expect(session.state).toBe('idle');
    expect(session.interrupt()).toBe('quit');

    // The stopped answer stays in the conversation, as far as it got.
    const again = session.handle('go on');
    const resumed = await next();
    resumed.finish('The end.');
    await again;
    expect(resumed.request.messages).toEqual([
      { role: 'user', content: 'tell me' },
      { role: 'assistant', content: 'Once upon' },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('forgets the conversation on /reset and says how much it dropped', async () => {
    const { session, calls, next, printed } = setup();
    const asked = session.handle('one');
    (await next()).finish('Uno.');
    await asked;
    expect(await session.handle('/reset')).toBe('more');
    expect(printed()).toContain(`${terminalText.cleared(1)}\n`);
    const fresh = session.handle('two');
    (await next()).finish('Dos.');
    await fresh;
    expect(calls[1]?.request.messages).toEqual([{ role: 'user', content: 'two' }]);
    expect(await session.handle('/reset')).toBe('more');
    expect(printed()).toContain(`${terminalText.cleared(1)}\n`);
  });

  it('answers commands it does not know, skips blank lines and exits on /exit without asking Claude', async () => {
    const { session, calls, printed } = setup();
    expect(await session.handle('/help')).toBe('more');
    expect(await session.handle('   ')).toBe('more');
    expect(await session.handle('/exit')).toBe('exit');
    expect(printed()).toBe(`${terminalText.unknownCommand('help')}\n`);
    expect(calls).toEqual([]);
  });

  it('once closed, ends the running answer and takes no more lines', async () => {
    const { session, next, calls } = setup();
    const asked = session.handle('long story');
    const call = await next();
    session.close({ cause: 'shutdown' });
    expect(call.signal.reason).toEqual({ cause: 'shutdown' });
    expect(await asked).toBe('exit');
    expect(session.state).toBe('closed');
    expect(await session.handle('more?')).toBe('exit');
    expect(calls).toHaveLength(1);
  });
});
