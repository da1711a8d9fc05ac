import type { ConversationStore, Exchange } from '../core/conversation-store.js';

// Conversations in this process's memory, each kept to its newest `keep` exchanges.

export function createMemoryStore(options: { keep: number }): ConversationStore {
  const conversations = new Map<string, readonly Exchange[]>();
  return {
    load: (channelId) => Promise.resolve(conversations.get(channelId) ?? []),
    append(channelId, exchange) {
      const kept = [...(conversations.get(channelId) ?? []), exchange].slice(-Math.max(1, options.keep));
      conversations.set(channelId, kept);
      return Promise.resolve();
    },
    clear(channelId) {
      const dropped = conversations.get(channelId)?.length ?? 0;
      conversations.delete(channelId);
      return Promise.resolve(dropped);
    },
  };
}
