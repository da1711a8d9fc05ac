import { describe, expect, it } from 'vitest';
import { createChannelQueues } from '../../../../src/core/answer/channel-queues.js';
import type { Question } from '../../../../src/core/prompt/question.js';

const answer = (id: string, channelId: string, authorId: string) => ({
  question: { id, channelId, authorId, text: id, remember: true } satisfies Question,
});

describe('channel queues', () => {
  it('counts everyone behind the first of each channel as waiting, by channel and by author', () => {
    const queues = createChannelQueues();
    const [a, b, c, d] = [
      answer('a', 'c1', 'u1'),
      answer('b', 'c1', 'u1'),
      answer('c', 'c1', 'u2'),
      answer('d', 'c2', 'u1'),
    ];
    for (const each of [a, b, c, d]) queues.join(each);
    expect([queues.waitingIn('c1'), queues.waitingIn('c2'), queues.waitingIn('c3')]).toEqual([2, 0, 0]);
    expect([queues.waitingFor('u1'), queues.waitingFor('u2')]).toEqual([1, 1]);
    expect([queues.busy('c2'), queues.busy('c3')]).toEqual([true, false]);
  });

  it('moves the next answer up when the first leaves, and forgets one that leaves from the middle', () => {
    const queues = createChannelQueues();
    const [a, b, c] = [answer('a', 'c1', 'u1'), answer('b', 'c1', 'u2'), answer('c', 'c1', 'u3')];
    for (const each of [a, b, c]) queues.join(each);
    queues.leave(c);
    expect([queues.waitingIn('c1'), queues.waitingFor('u3')]).toEqual([1, 0]);
    queues.leave(a);
    expect([queues.waitingIn('c1'), queues.waitingFor('u2')]).toEqual([0, 0]);
    queues.leave(b);
    queues.leave(b);
    expect(queues.busy('c1')).toBe(false);
  });
});
