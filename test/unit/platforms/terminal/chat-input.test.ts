import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../../src/platforms/terminal/chat-input.js';

describe('parseInput', () => {
  it('reads the commands, in any case and with spaces around them', () => {
    expect(parseInput('/reset')).toEqual({ kind: 'reset' });
    expect(parseInput('  /EXIT ')).toEqual({ kind: 'exit' });
    expect(parseInput('/quit')).toEqual({ kind: 'exit' });
    expect(parseInput('/help')).toEqual({ kind: 'unknown', name: 'help' });
  });

  it('asks Claude anything else, a line that starts with a slash included', () => {
    expect(parseInput(' what is a monad? ')).toEqual({ kind: 'question', text: 'what is a monad?' });
    expect(parseInput('/etc/hosts is what?')).toEqual({ kind: 'question', text: '/etc/hosts is what?' });
    expect(parseInput('/reset please')).toEqual({ kind: 'question', text: '/reset please' });
  });

  it('skips blank lines', () => {
    expect(parseInput('   ')).toEqual({ kind: 'blank' });
  });
});
