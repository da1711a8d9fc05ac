import { Events } from 'discord.js';
import type { Client, Interaction, Message } from 'discord.js';
import type { Logger } from '../../core/ports/logger.js';

// The bot's gateway listeners. They stay synchronous and never throw into discord.js: each one's
// promise is handled here, and nothing new is taken once listening stops (shutdown).

export interface ListenerHandlers {
  readonly message: (message: Message) => Promise<void>;
  readonly interaction: (interaction: Interaction) => Promise<void>;
  /** A message was deleted: maybe a question or a reply, streaming or ended. */
  readonly deleted: (channelId: string, messageId: string) => Promise<void>;
}

export function listen(client: Client, handlers: ListenerHandlers, logger: Logger): { stop(): void } {
  let accepting = true;
  const handled = (what: string) => (error: unknown) => logger.error({ err: error }, `${what} failed`);

  client.on(Events.MessageCreate, (message) => {
    if (accepting) handlers.message(message).catch(handled('message handler'));
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (accepting) handlers.interaction(interaction).catch(handled('interaction handler'));
  });
  client.on(Events.MessageDelete, (message) => {
    handlers.deleted(message.channelId, message.id).catch(handled('delete handler'));
  });
  client.on(Events.MessageBulkDelete, (messages) => {
    for (const message of messages.values()) {
      handlers.deleted(message.channelId, message.id).catch(handled('delete handler'));
    }
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  return {
    stop() {
      accepting = false;
    },
  };
}
