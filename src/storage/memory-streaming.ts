import type { StreamingReplies, StreamingReply } from '../core/ports/storage.js';

// Streaming replies in this process's memory: they die with it, so there is nothing to sweep after a
// restart; this serves tests and single-process runs that need no recovery.

export function createMemoryStreaming(): StreamingReplies {
  const replies = new Map<string, StreamingReply>();
  return {
    put(reply) {
      replies.set(reply.answerId, { ...reply, locators: [...reply.locators] });
      return Promise.resolve();
    },
    remove(answerId) {
      replies.delete(answerId);
      return Promise.resolve();
    },
    // The sort is stable: replies started in the same millisecond stay in the order first put.
    list: () => Promise.resolve([...replies.values()].sort((a, b) => a.startedAt - b.startedAt)),
  };
}
