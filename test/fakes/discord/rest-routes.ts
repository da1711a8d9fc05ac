import {
  invalidFormBody,
  missingPermissions,
  notMessageAuthor,
  unknownChannel,
  unknownMessage,
  unknownUser,
} from './errors.js';
import { createBotMessage, editBotMessage } from './bot-messages.js';
import { isRecord, readMessageBody, type MessageBody } from './message-body.js';
import { apiChannel, apiMessage, apiUser } from './payloads.js';
import { requireBotMay } from './permissions.js';
import { noContent, ok, param, type RouteContext, type RouteDefinition, type RouteResponse } from './router.js';
import type { StoredMessage } from './types.js';
import type { ChannelRecord, World } from './world.js';

/** The REST endpoints of the fake, below /api/v10. Order matters only for literal vs `:param`. */
export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', pattern: '/gateway/bot', handle: getGatewayBot },
  { method: 'GET', pattern: '/gateway', handle: ({ services }) => ok({ url: services.gatewayUrl() }) },
  { method: 'GET', pattern: '/users/@me', handle: getCurrentUser },
  { method: 'POST', pattern: '/users/@me/channels', handle: openDmChannel },
  { method: 'GET', pattern: '/users/:userId', handle: getUser },
  { method: 'GET', pattern: '/channels/:channelId', handle: getChannel },
  { method: 'POST', pattern: '/channels/:channelId/messages', bucket: 'channelMessages', handle: createMessage },
  { method: 'GET', pattern: '/channels/:channelId/messages/:messageId', handle: getMessage },
  {
    method: 'PATCH',
    pattern: '/channels/:channelId/messages/:messageId',
    bucket: 'channelMessages',
    handle: editMessage,
  },
  // Discord buckets message deletes apart from creates and edits; the fake does not limit them.
  { method: 'DELETE', pattern: '/channels/:channelId/messages/:messageId', handle: deleteMessage },
  { method: 'POST', pattern: '/channels/:channelId/typing', handle: startTyping },
];

/**
 * discord.js refuses to connect unless max_concurrency is set and remaining ≥ shards. Discord's
 * usual max_concurrency of 1 (one IDENTIFY per 5 s) is why ShardingManager spaces its spawns.
 */
function getGatewayBot({ services }: RouteContext): RouteResponse {
  const shards = services.recommendedShards;
  return ok({
    url: services.gatewayUrl(),
    shards,
    session_start_limit: {
      total: 1000,
      remaining: Math.max(1000, shards),
      reset_after: 86_400_000,
      max_concurrency: 1,
    },
  });
}

function getCurrentUser({ services: { world } }: RouteContext): RouteResponse {
  return ok({ ...apiUser(world.botUser), verified: true, mfa_enabled: false, flags: 0 });
}

function getUser({ params, services: { world } }: RouteContext): RouteResponse {
  const user = world.users.get(param(params, 'userId'));
  if (user === undefined) throw unknownUser();
  return ok(apiUser(user));
}

function openDmChannel({ body, services: { world } }: RouteContext): RouteResponse {
  const recipientId = isRecord(body) ? body['recipient_id'] : undefined;
  if (typeof recipientId !== 'string' || !world.users.has(recipientId)) throw unknownUser();
  return ok(apiChannel(world, world.dmChannelFor(recipientId)));
}

function getChannel({ params, services: { world } }: RouteContext): RouteResponse {
  const channel = requireChannel(world, params);
  requireBotMay(world, channel, 'view');
  return ok(apiChannel(world, channel));
}

function getMessage({ params, services: { world } }: RouteContext): RouteResponse {
  return ok(apiMessage(world, requireMessage(world, params)));
}

function createMessage({ params, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const channel = requireChannel(world, params);
  const request = readMessageBody(body);
  requireBotMay(world, channel, request.reference === undefined ? 'post' : 'reply');
  const referenced = resolveReference(world, channel, request.reference);
  const message = createBotMessage(world, { channel, request, body, referenced });
  publish.created(message);
  return ok(apiMessage(world, message));
}

function editMessage({ params, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const message = requireMessage(world, params);
  if (message.authorId !== world.botUser.id) throw notMessageAuthor();
  editBotMessage(world, message, readMessageBody(body), body);
  publish.updated(message);
  return ok(apiMessage(world, message));
}

function deleteMessage({ params, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const message = requireMessage(world, params);
  // The fake's @everyone has no Manage Messages, so the bot can delete only its own messages.
  if (message.authorId !== world.botUser.id) throw missingPermissions();
  message.deleted = true;
  publish.deleted(message);
  return noContent;
}

function startTyping({ params, services: { world } }: RouteContext): RouteResponse {
  requireBotMay(world, requireChannel(world, params), 'post');
  return noContent;
}

/** A reply to a missing message fails unless the client set fail_if_not_exists: false. */
function resolveReference(
  world: World,
  channel: ChannelRecord,
  reference: MessageBody['reference'],
): StoredMessage | undefined {
  if (reference === undefined) return undefined;
  const referenced = world.liveMessage(channel.id, reference.messageId);
  if (referenced !== undefined || !reference.failIfNotExists) return referenced;
  throw invalidFormBody(['message_reference'], {
    code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE',
    message: 'Unknown message',
  });
}

function requireChannel(world: World, params: Readonly<Record<string, string>>): ChannelRecord {
  const channel = world.channels.get(param(params, 'channelId'));
  if (channel === undefined) throw unknownChannel();
  return channel;
}

/** A live message in a channel the bot can see (editing or deleting its own needs nothing more). */
function requireMessage(world: World, params: Readonly<Record<string, string>>): StoredMessage {
  const channel = requireChannel(world, params);
  requireBotMay(world, channel, 'view');
  const message = world.liveMessage(channel.id, param(params, 'messageId'));
  if (message === undefined) throw unknownMessage();
  return message;
}
