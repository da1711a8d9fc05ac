import type { Question } from '../prompt/question.js';

// The running answers of each channel in arrival order: the first holds the channel (or is about to
// take it), the others wait behind it. Counting by position rather than by state means a question
// that arrives before the first one has taken the channel's lock still sees it as the holder.
// The registry tells it when an answer starts running and when it has ended.

export interface ChannelQueues {
  join(answer: { readonly question: Question }): void;
  leave(answer: { readonly question: Question }): void;
  /** An answer of the channel is running. */
  busy(channelId: string): boolean;
  /** Answers waiting behind the channel's first. */
  waitingIn(channelId: string): number;
  /** The author's answers waiting behind another in their channel, in all channels. */
  waitingFor(authorId: string): number;
}

type Member = { readonly question: Question };

export function createChannelQueues(): ChannelQueues {
  const queues = new Map<string, Member[]>();
  const waitingByAuthor = new Map<string, number>();

  function countWaiting(member: Member, by: 1 | -1): void {
    const { authorId } = member.question;
    const count = (waitingByAuthor.get(authorId) ?? 0) + by;
    if (count > 0) waitingByAuthor.set(authorId, count);
    else waitingByAuthor.delete(authorId);
  }

  return {
    join(member) {
      const { channelId } = member.question;
      const queue = queues.get(channelId) ?? [];
      queue.push(member);
      queues.set(channelId, queue);
      if (queue.length > 1) countWaiting(member, 1);
    },
    leave(member) {
      const { channelId } = member.question;
      const queue = queues.get(channelId) ?? [];
      const at = queue.indexOf(member);
      if (at === -1) return;
      queue.splice(at, 1);
      if (at > 0) countWaiting(member, -1);
      // The first left: the next one holds the channel now and no longer waits.
      else if (queue[0]) countWaiting(queue[0], -1);
      if (queue.length === 0) queues.delete(channelId);
    },
    busy: (channelId) => queues.has(channelId),
    waitingIn: (channelId) => Math.max(0, (queues.get(channelId)?.length ?? 0) - 1),
    waitingFor: (authorId) => waitingByAuthor.get(authorId) ?? 0,
  };
}
