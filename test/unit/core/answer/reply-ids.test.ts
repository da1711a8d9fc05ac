import { describe, expect, it } from 'vitest';
import { replyIdsOf } from '../../../../src/core/answer/reply-ids.js';
import type { Exchange } from '../../../../src/core/ports/conversation-store.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const question = { id: 'q1', channelId: 'c', authorId: 'u', text: 'tell me', remember: true };
const stored: Exchange[] = [{ id: 'q1', question: 'tell me', answer: 'first part', replyIds: ['m1', 'm2'] }];
const posted = [{ id: 'm3' }];

describe('replyIdsOf', () => {
  it('is the posted messages of a new answer, without reading the conversation', async () => {
    const conversations = { load: () => Promise.reject(new Error('not read')) };
    expect(await replyIdsOf({ conversations, logger: silent }, question, false, posted)).toEqual(['m3']);
  });

  it('keeps the messages of the part a continuation continues', async () => {
    const conversations = { load: () => Promise.resolve(stored) };
    expect(await replyIdsOf({ conversations, logger: silent }, question, true, posted)).toEqual(['m1', 'm2', 'm3']);
    // Messages it reused are listed once.
    const again = [{ id: 'm2' }, { id: 'm3' }];
    expect(await replyIdsOf({ conversations, logger: silent }, question, true, again)).toEqual(['m1', 'm2', 'm3']);
  });

  it('falls back to the posted messages when the conversation cannot be read', async () => {
    const warnings: unknown[] = [];
    const logger = { ...silent, warn: (fields: unknown) => warnings.push(fields) };
    const conversations = { load: () => Promise.reject(new Error('storage down')) };
    expect(await replyIdsOf({ conversations, logger }, question, true, posted)).toEqual(['m3']);
    expect(warnings).toHaveLength(1);
  });
});
