import type { Client } from 'discord.js';

// A deleted message, for the conversations it belongs to. A thread opened on a message has that
// message's id and is a conversation of its own, whose first question the message was: deleting it
// reaches the thread's conversation as well as its channel's.

export type DeletedMessage = (channelId: string, messageId: string) => Promise<void>;

export function deletionsWithThreads(client: Client, deleted: DeletedMessage): DeletedMessage {
  return async (channelId, messageId) => {
    await deleted(channelId, messageId);
    const thread = client.channels.cache.get(messageId);
    if (thread?.isThread() && thread.parentId === channelId) await deleted(messageId, messageId);
  };
}
