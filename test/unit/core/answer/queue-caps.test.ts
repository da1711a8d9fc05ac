import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { AnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { RunningAnswer } from '../../../../src/core/answer/answer-state.js';
import { queueRefusal } from '../../../../src/core/answer/queue-caps.js';
import type { QueueCaps } from '../../../../src/core/answer/queue-caps.js';
import { systemClock } from '../../../../src/core/ports/clock.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { queueText } from '../../../../src/core/user-text.js';

let registry: AnswerRegistry;
let next = 0;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  registry = createAnswerRegistry({ clock: systemClock, forgetAfterMs: 60_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const question = (channelId: string, authorId: string): Question => ({
  id: `q${(next += 1)}`,
  channelId,
  authorId,
  text: 'what?',
  remember: true,
});

/** Admits the question as the handlers do: ask the caps, then add it (queued). */
function ask(channelId: string, authorId: string, caps: QueueCaps): RunningAnswer | string {
  const q = question(channelId, authorId);
  const refusal = queueRefusal(registry, q, caps);
  return refusal ?? registry.add(q, new AbortController()).answer;
}

function finish(answer: RunningAnswer | string): void {
  if (typeof answer === 'string') throw new Error(`refused: ${answer}`);
  registry.ending(answer);
  registry.ended(answer, null);
}

const CHANNEL_CAP_2: QueueCaps = { perChannel: 2, perUser: undefined };

describe('queueRefusal, per channel', () => {
  it('admits the one streaming and 2 waiting behind it, and refuses the 4th', () => {
    const first = ask('c1', 'u1', CHANNEL_CAP_2);
    if (typeof first !== 'string') registry.started(first);
    const results = [ask('c1', 'u2', CHANNEL_CAP_2), ask('c1', 'u3', CHANNEL_CAP_2), ask('c1', 'u4', CHANNEL_CAP_2)];
    expect(results.map((result) => typeof result === 'string')).toEqual([false, false, true]);
    expect(results[2]).toBe(queueText.channelBusy);
    expect(registry.waitingIn('c1')).toBe(2);
  });

  it('counts the first question as holding the channel even before it takes the lock', () => {
    // Four at once: the first may still be queued when the others arrive.
    const results = [1, 2, 3, 4].map((n) => ask('c1', `u${n}`, CHANNEL_CAP_2));
    expect(results.map((result) => typeof result === 'string')).toEqual([false, false, false, true]);
  });

  it('admits again once an answer has ended', () => {
    const [first] = [1, 2, 3].map((n) => ask('c1', `u${n}`, CHANNEL_CAP_2));
    expect(typeof ask('c1', 'u4', CHANNEL_CAP_2)).toBe('string');
    finish(first!);
    expect(typeof ask('c1', 'u4', CHANNEL_CAP_2)).not.toBe('string');
  });

  it('counts each channel on its own', () => {
    for (const n of [1, 2, 3]) ask('c1', `u${n}`, CHANNEL_CAP_2);
    expect(typeof ask('c2', 'u4', CHANNEL_CAP_2)).not.toBe('string');
  });

  it('with a cap of 0 answers a quiet channel but lets nothing wait', () => {
    const caps: QueueCaps = { perChannel: 0, perUser: undefined };
    expect(typeof ask('c1', 'u1', caps)).not.toBe('string');
    expect(ask('c1', 'u2', caps)).toBe(queueText.channelBusy);
  });
});

describe('queueRefusal, per user', () => {
  const caps: QueueCaps = { perChannel: 5, perUser: 1 };

  it('counts one person’s waiting questions in every channel, not the ones streaming', () => {
    const streaming = ask('c1', 'u1', caps);
    if (typeof streaming !== 'string') registry.started(streaming);
    // Streaming is not waiting: one more may wait.
    expect(typeof ask('c1', 'u1', caps)).not.toBe('string');
    expect(ask('c1', 'u1', caps)).toBe(queueText.youAreWaiting(1));
    // Someone else is not held back by u1's questions, and u1's next one in a busy channel is.
    expect(typeof ask('c2', 'u2', caps)).not.toBe('string');
    expect(ask('c2', 'u1', caps)).toBe(queueText.youAreWaiting(1));
  });

  it('never refuses a question that streams at once, in a quiet channel', () => {
    const streaming = ask('c1', 'u1', caps);
    if (typeof streaming !== 'string') registry.started(streaming);
    ask('c1', 'u1', caps);
    expect(typeof ask('c3', 'u1', caps)).not.toBe('string');
  });

  it('frees a place when a waiting question is stopped before it streams', () => {
    const streaming = ask('c1', 'u1', caps);
    if (typeof streaming !== 'string') registry.started(streaming);
    const waiting = ask('c1', 'u1', caps);
    expect(registry.waitingFor('u1')).toBe(1);
    expect(ask('c1', 'u1', caps)).toBe(queueText.youAreWaiting(1));
    finish(waiting);
    expect(registry.waitingFor('u1')).toBe(0);
    expect(typeof ask('c1', 'u1', caps)).not.toBe('string');
  });

  it('counts a person’s questions that arrive together before the first takes the channel', () => {
    const results = [1, 2, 3].map(() => ask('c1', 'u1', caps));
    expect(results.map((result) => typeof result === 'string')).toEqual([false, false, true]);
  });

  it('puts no cap on a person when none is set', () => {
    const results = [1, 2, 3].map(() => ask('c1', 'u1', { perChannel: 5, perUser: undefined }));
    expect(results.every((result) => typeof result !== 'string')).toBe(true);
  });

  it('says how many are waiting', () => {
    expect(queueText.youAreWaiting(2)).toContain('2 questions');
    expect(queueText.youAreWaiting(1)).toContain('1 question ');
  });
});
