import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../../src/core/ports/conversation-store.js';
import { conversationChain, exchangeOfReply } from '../../../../src/core/prompt/conversation-chain.js';

const exchange = (id: string, parentId?: string, replyIds?: string[]): Exchange => ({
  id,
  question: `q-${id}`,
  answer: `a-${id}`,
  ...(parentId === undefined ? {} : { parentId }),
  ...(replyIds === undefined ? {} : { replyIds }),
});
const ids = (exchanges: readonly Exchange[]) => exchanges.map((item) => item.id);
const asked = (id: string, parentId?: string) => (parentId === undefined ? { id } : { id, parentId });

describe('conversationChain', () => {
  it('follows a linear conversation from the newest exchange, oldest first', () => {
    const history = [exchange('a'), exchange('b'), exchange('c')];
    expect(ids(conversationChain(history, asked('new')))).toEqual(['a', 'b', 'c']);
    expect(conversationChain([], asked('new'))).toEqual([]);
  });

  it('starts a branch at the answer it replies to, leaving out what came after it', () => {
    const history = [exchange('a'), exchange('b'), exchange('c')];
    expect(ids(conversationChain(history, asked('new', 'a')))).toEqual(['a']);
    expect(ids(conversationChain(history, asked('new', 'b')))).toEqual(['a', 'b']);
  });

  it('continues a branch: the newest exchange follows its parent, not the one stored before it', () => {
    // d replied to a; e was a plain mention after it (no parent: the one stored before, d).
    const history = [exchange('a'), exchange('b'), exchange('c'), exchange('d', 'a'), exchange('e')];
    expect(ids(conversationChain(history, asked('new')))).toEqual(['a', 'd', 'e']);
    // A reply to c still sees the line that led to c.
    expect(ids(conversationChain(history, asked('new', 'c')))).toEqual(['a', 'b', 'c']);
  });

  it("leaves out the question's own exchange (Regenerate, Continue)", () => {
    const history = [exchange('a'), exchange('b'), exchange('c')];
    expect(ids(conversationChain(history, asked('c')))).toEqual(['a', 'b']);
    // A regenerated branch keeps its parent.
    const branched = [exchange('a'), exchange('b'), exchange('c', 'a')];
    expect(ids(conversationChain(branched, asked('c', 'a')))).toEqual(['a']);
  });

  it('stops at a missing link', () => {
    const history = [exchange('a'), exchange('b'), exchange('c', 'gone'), exchange('d')];
    expect(ids(conversationChain(history, asked('new')))).toEqual(['c', 'd']);
    // A parent that was forgotten: the question follows nothing.
    expect(conversationChain(history, asked('new', 'forgotten'))).toEqual([]);
  });

  it('treats exchanges without a parent (stored before branches) as following the one before', () => {
    const history = [exchange('old1'), exchange('old2'), exchange('new1', 'old1')];
    expect(ids(conversationChain(history, asked('next')))).toEqual(['old1', 'new1']);
  });

  it('ends on a parent cycle instead of looping', () => {
    const history = [exchange('a', 'b'), exchange('b', 'a')];
    expect(ids(conversationChain(history, asked('new')))).toEqual(['a', 'b']);
  });
});

describe('exchangeOfReply', () => {
  it('finds the exchange whose reply has the message, by any of its messages', () => {
    const history = [exchange('a', undefined, ['r1', 'r2']), exchange('b', undefined, ['r3'])];
    expect(exchangeOfReply(history, 'r2')?.id).toBe('a');
    expect(exchangeOfReply(history, 'r3')?.id).toBe('b');
  });

  it('finds nothing for a message that is no answer (a question, or an exchange stored without ids)', () => {
    const history = [exchange('a'), exchange('b', undefined, ['r3'])];
    expect(exchangeOfReply(history, 'a')).toBeUndefined();
    expect(exchangeOfReply(history, 'elsewhere')).toBeUndefined();
  });
});
