import { MessageFlags } from 'discord.js';
import type { MessageBody } from './message-body.js';
import type { StoredMessage } from './types.js';

/** The flags a response may be created with; LOADING is Discord's to set, not the app's. */
export const SETTABLE_FLAGS = MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications;

/** A new response's request with only the flags an app may set. */
export function withSettableFlags(request: MessageBody): MessageBody {
  return { ...request, flags: (request.flags ?? 0) & SETTABLE_FLAGS };
}

/**
 * An edit through the interaction clears LOADING and cannot change ephemerality: whoever could
 * see the message at creation is who sees it for good.
 */
export function settled(message: StoredMessage, request: MessageBody): MessageBody {
  const fixed = MessageFlags.Loading | MessageFlags.Ephemeral;
  const flags = ((request.flags ?? message.flags) & ~fixed) | (message.flags & MessageFlags.Ephemeral);
  return { ...request, flags };
}
