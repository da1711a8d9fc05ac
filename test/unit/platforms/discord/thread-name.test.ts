import { describe, expect, it } from 'vitest';
import { THREAD_NAME_LIMIT, threadName } from '../../../../src/platforms/discord/thread-name.js';

const FALLBACK = 'Question';

describe('threadName', () => {
  it('is the question on one line, without Markdown markers', () => {
    expect(threadName('**How** do   `tides`\nwork?', FALLBACK)).toBe('How do tides work?');
    expect(threadName('> quoted\n# heading\n- item ||spoiler|| ~~gone~~', FALLBACK)).toBe(
      'quoted heading item spoiler gone',
    );
    expect(threadName('```ts\nconst x = 1;\n```', FALLBACK)).toBe('const x = 1;');
    expect(threadName('snake_case names stay', FALLBACK)).toBe('snake_case names stay');
  });

  it('writes custom emoji and unembedded links as they read', () => {
    expect(threadName('hi <:wave:123456789012345678> see <https://example.com/a>', FALLBACK)).toBe(
      'hi :wave: see https://example.com/a',
    );
  });

  it('falls back when nothing is left to name it by', () => {
    expect(threadName('', FALLBACK)).toBe(FALLBACK);
    expect(threadName('  ** `` \n ', FALLBACK)).toBe(FALLBACK);
  });

  it('cuts a long question to 100 characters at a word, marked with an ellipsis', () => {
    const long = 'word '.repeat(40).trim();
    const name = threadName(long, FALLBACK);
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_LIMIT);
    expect(name.endsWith('word…')).toBe(true);
    expect(threadName('x'.repeat(100), FALLBACK)).toBe('x'.repeat(100));
    expect(threadName('x'.repeat(101), FALLBACK)).toBe(`${'x'.repeat(99)}…`);
  });

  it('never cuts an emoji in half, counting it as Discord does (two UTF-16 units)', () => {
    const name = threadName('😀'.repeat(60), FALLBACK);
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_LIMIT);
    expect(name).toBe(`${'😀'.repeat(49)}…`);
  });
});
