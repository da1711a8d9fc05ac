import { GatewayIntentBits } from 'discord.js';
import type { GatewayMessageCreateDispatchData, GatewayMessageDeleteDispatchData } from 'discord.js';
import type { SessionView } from './gateway.js';
import { gatewayMessage } from './payloads.js';
import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/**
 * A message event as one gateway session receives it, or undefined if its intents exclude it.
 * Like Discord: guild messages need GuildMessages, DMs need DirectMessages, and without the
 * privileged MessageContent intent a guild message arrives with its content stripped unless it
 * mentions the bot or is the bot's own. Ephemeral interaction responses are never dispatched.
 */
export function messageEventFor(
  world: World,
  message: StoredMessage,
  session: SessionView,
): GatewayMessageCreateDispatchData | undefined {
  if (!receivesMessages(message, session)) return undefined;
  const data = gatewayMessage(world, message);
  return canReadContent(world, message, session) ? data : withoutContent(data);
}

/** MESSAGE_DELETE for one session, under the same intents as creation. */
export function messageDeleteFor(
  message: StoredMessage,
  session: SessionView,
): GatewayMessageDeleteDispatchData | undefined {
  if (!receivesMessages(message, session)) return undefined;
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId === undefined ? {} : { guild_id: message.guildId }),
  };
}

function receivesMessages(message: StoredMessage, session: SessionView): boolean {
  // An ephemeral message exists only for the user who ran the command, never for bots.
  if (message.ephemeral) return false;
  const intent = message.guildId === undefined ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
  return hasIntent(session, intent);
}

function canReadContent(world: World, message: StoredMessage, session: SessionView): boolean {
  const botId = world.botUser.id;
  return (
    hasIntent(session, GatewayIntentBits.MessageContent) ||
    message.guildId === undefined ||
    message.authorId === botId ||
    message.mentionIds.includes(botId)
  );
}

function withoutContent(data: GatewayMessageCreateDispatchData): GatewayMessageCreateDispatchData {
  return { ...data, content: '', embeds: [], attachments: [], components: [] };
}

function hasIntent(session: SessionView, intent: GatewayIntentBits): boolean {
  return (session.intents & intent) !== 0;
}
