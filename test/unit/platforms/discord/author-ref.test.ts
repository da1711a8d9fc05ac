import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorRef } from '../../../../src/platforms/discord/author-ref.js';

describe('authorRef', () => {
  it('is the first 32 hex characters of sha256("discord:" + id), never the id itself', () => {
    const id = '123456789012345678';
    const expected = createHash('sha256').update(`discord:${id}`).digest('hex').slice(0, 32);
    expect(authorRef(id)).toBe(expected);
    expect(authorRef(id)).toMatch(/^[0-9a-f]{32}$/);
    expect(authorRef(id)).not.toContain(id);
  });

  it('is stable for one id and different for another', () => {
    expect(authorRef('123456789012345678')).toBe(authorRef('123456789012345678'));
    expect(authorRef('123456789012345678')).not.toBe(authorRef('123456789012345679'));
  });
});
