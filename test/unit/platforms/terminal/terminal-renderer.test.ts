import { describe, expect, it } from 'vitest';
import { createTerminalRenderer } from '../../../../src/platforms/terminal/terminal-renderer.js';
import { terminalStyle } from '../../../../src/platforms/terminal/terminal-style.js';

function recorded(colors: boolean) {
  const writes: string[] = [];
  const renderer = createTerminalRenderer({ write: (text: string) => writes.push(text) }, terminalStyle(colors));
  return { renderer, writes, printed: () => writes.join('') };
}

describe('createTerminalRenderer', () => {
  it('writes only what each snapshot adds', () => {
    const { renderer, writes } = recorded(false);
    renderer.update('Hel');
    renderer.update('Hello');
    renderer.update('Hello');
    renderer.update('Hello, world');
    expect(writes).toEqual(['Hel', 'lo', ', world']);
  });

  it('ends the answer on its own line with the notice and usage line under it, then a blank line', () => {
    const { renderer, printed } = recorded(false);
    renderer.update('Half an');
    renderer.finish({ answer: 'Half an answer', notice: '⚠️ It broke off.', usage: '10 in · 2 out' });
    expect(printed()).toBe('Half an answer\n⚠️ It broke off.\n10 in · 2 out\n\n');
  });

  it('adds no newline of its own after an answer that ends with one, nor before a notice alone', () => {
    const { renderer, printed } = recorded(false);
    renderer.update('A list:\n- one\n');
    renderer.finish({ answer: 'A list:\n- one\n', notice: null, usage: null });
    renderer.finish({ answer: '', notice: '⚠️ Claude is overloaded.', usage: null });
    expect(printed()).toBe('A list:\n- one\n\n⚠️ Claude is overloaded.\n\n');
  });

  it('starts the next answer from nothing', () => {
    const { renderer, printed } = recorded(false);
    renderer.update('First.');
    renderer.finish({ answer: 'First.', notice: null, usage: null });
    renderer.update('Se');
    renderer.update('Second.');
    renderer.finish({ answer: 'Second.', notice: null, usage: null });
    expect(printed()).toBe('First.\n\nSecond.\n\n');
  });

  it('prints no terminal codes without colours, and styles only its own lines with them', () => {
    const end = { answer: 'Answer.', notice: 'Stopped.', usage: '1 in · 1 out' };
    const plain = recorded(false);
    plain.renderer.finish(end);
    plain.renderer.line('Cleared.');
    expect(plain.printed()).not.toContain('\x1b');

    const coloured = recorded(true);
    coloured.renderer.finish(end);
    coloured.renderer.line('Cleared.');
    expect(coloured.printed()).toBe(
      'Answer.\n\x1b[33mStopped.\x1b[39m\n\x1b[2m1 in · 1 out\x1b[22m\n\n\x1b[2mCleared.\x1b[22m\n',
    );
  });
});
