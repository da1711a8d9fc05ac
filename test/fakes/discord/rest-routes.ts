import {
  invalidFormBody,
  missingPermissions,
  notMessageAuthor,
  unknownChannel,
  unknownMessage,
  unknownUser,
} from './errors.js';
import { resolveMentions } from './mentions.js';
import { assertNotEmpty, isRecord, readMessageBody, type MessageBody } from './message-body.js';
import { apiChannel, apiMessage, apiUser } from './payloads.js';
import type { RouteContext, RouteDefinition, RouteResponse } from './router.js';
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
  { method: 'POST', pattern: '/channels/:channelId/messages', bucket: 'createMessage', handle: createMessage },
  { method: 'GET', pattern: '/channels/:channelId/messages/:messageId', handle: getMessage },
  { method: 'PATCH', pattern: '/channels/:channelId/messages/:messageId', bucket: 'editMessage', handle: editMessage },
  { method: 'DELETE', pattern: '/channels/:channelId/messages/:messageId', handle: deleteMessage },
  { method: 'POST', pattern: '/channels/:channelId/typing', handle: startTyping },
];

const ok = (body: unknown): RouteResponse => ({ status: 200, body });
const noContent: RouteResponse = { status: 204 };

/** discord.js refuses to connect unless max_concurrency is set and remaining ≥ shards. */
function getGatewayBot({ services }: RouteContext): RouteResponse {
  return ok({
    url: services.gatewayUrl(),
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
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
  return ok(apiChannel(world, requireChannel(world, params)));
}

function getMessage({ params, services: { world } }: RouteContext): RouteResponse {
  return ok(apiMessage(world, requireMessage(world, params)));
}

function createMessage({ params, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const channel = requireChannel(world, params);
  const request = readMessageBody(body);
  const content = request.content ?? '';
  const referenced = resolveReference(world, channel, request.reference);
  assertNotEmpty(content, request.embeds ?? [], request.components ?? [], request.hasOtherContent);
  const mentions = resolveMentions(content, request.allowedMentions, (id) => world.users.has(id), referenced?.authorId);
  const message = world.createMessage({
    channel,
    author: world.botUser,
    content,
    embeds: request.embeds ?? [],
    components: request.components ?? [],
    mentionIds: mentions.userIds,
    mentionEveryone: mentions.everyone,
    flags: request.flags ?? 0,
    createdBody: body,
    referencedMessageId: referenced?.id,
  });
  publish.created(message);
  return ok(apiMessage(world, message));
}

function editMessage({ params, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const message = requireMessage(world, params);
  if (message.authorId !== world.botUser.id) throw notMessageAuthor();
  const request = readMessageBody(body);
  const content = request.content ?? message.content;
  const embeds = request.embeds ?? message.embeds;
  const components = request.components ?? message.components;
  assertNotEmpty(content, embeds, components, request.hasOtherContent);
  applyEdit(world, message, request, { content, embeds, components });
  message.lastEditBody = body;
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
  requireChannel(world, params);
  return noContent;
}

/**
 * An edit re-parses mentions from the new content with the edit's allowed_mentions (Discord's
 * defaults when absent); the reply ping decided at creation stays as it was.
 */
function applyEdit(
  world: World,
  message: StoredMessage,
  request: MessageBody,
  next: Pick<StoredMessage, 'content' | 'embeds' | 'components'>,
): void {
  const repliedAuthorId = repliedAuthor(world, message);
  const keptReplyPing = repliedAuthorId !== undefined && message.mentionIds.includes(repliedAuthorId);
  const mentions = resolveMentions(next.content, request.allowedMentions, (id) => world.users.has(id), undefined);
  message.content = next.content;
  message.contents.push(next.content);
  message.embeds = next.embeds;
  message.components = next.components;
  message.mentionIds =
    keptReplyPing && !mentions.userIds.includes(repliedAuthorId)
      ? [...mentions.userIds, repliedAuthorId]
      : mentions.userIds;
  message.mentionEveryone = mentions.everyone;
  if (request.flags !== undefined) message.flags = request.flags;
  message.editCount += 1;
  message.editedAt = Date.now();
}

function repliedAuthor(world: World, message: StoredMessage): string | undefined {
  if (message.referencedMessageId === undefined) return undefined;
  return world.messages.get(message.referencedMessageId)?.authorId;
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

function requireMessage(world: World, params: Readonly<Record<string, string>>): StoredMessage {
  const channel = requireChannel(world, params);
  const message = world.liveMessage(channel.id, param(params, 'messageId'));
  if (message === undefined) throw unknownMessage();
  return message;
}

function param(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`fake-discord: route has no :${name} parameter`);
  return value;
}
