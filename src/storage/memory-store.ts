import type { ConversationStore, Exchange } from '../core/ports/conversation-store.js';

// Conversations in this process's memory, each kept to its newest `keep` exchanges.

export function createMemoryStore(options: { keep: number }): ConversationStore {
  const conversations = new Map<string, readonly Exchange[]>();
  const exchangesOf = (channelId: string) => conversations.get(channelId) ?? [];
  return {
    load: (channelId) => Promise.resolve(exchangesOf(channelId)),
    upsert(channelId, exchange) {
      const existing = exchangesOf(channelId);
      const kept = existing.some((old) => old.id === exchange.id)
        ? existing.map((old) => (old.id === exchange.id ? exchange : old))
        : [...existing, exchange].slice(-Math.max(1, options.keep));
      conversations.set(channelId, kept);
      return Promise.resolve();
    },
    remove(channelId, id) {
      conversations.set(
        channelId,
        exchangesOf(channelId).filter((exchange) => exchange.id !== id),
      );
      return Promise.resolve();
    },
    clear(channelId) {
      const dropped = exchangesOf(channelId).length;
      conversations.delete(channelId);
      return Promise.resolve(dropped);
    },
  };
}
