import { performance } from 'node:perf_hooks';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { createBotMessage, editBotMessage } from './bot-messages.js';
import { invalidFormBody } from './errors.js';
import { apiCallbackResponse } from './interaction-payloads.js';
import {
  interactionByToken,
  interactionForCallback,
  interactionForWebhook,
  interactionMessage,
  type InteractionRecord,
} from './interactions.js';
import { isRecord, readMessageBody, type MessageBody } from './message-body.js';
import { apiMessage } from './payloads.js';
import { noContent, ok, param, type RouteContext, type RouteDefinition, type RouteResponse } from './router.js';
import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/**
 * The endpoints an interaction is answered through. The callback and the webhook routes are
 * authorised by the token in the path (discord.js sends no Authorization header) and are exempt
 * from the global limit; the webhook routes share one bucket per interaction token.
 */
const webhookRoute = {
  bucket: 'interactionWebhook',
  globalExempt: true,
  auth: false,
  channelOf: (params, { world }) => interactionByToken(world, param(params, 'token'))?.channel.id,
} as const satisfies Partial<RouteDefinition>;

export const INTERACTION_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'POST',
    pattern: '/interactions/:interactionId/:token/callback',
    globalExempt: true,
    auth: false,
    channelOf: (params, { world }) => world.interactions.get(param(params, 'interactionId'))?.channel.id,
    handle: respondToInteraction,
  },
  { method: 'POST', pattern: '/webhooks/:webhookId/:token', ...webhookRoute, handle: createFollowUp },
  { method: 'GET', pattern: '/webhooks/:webhookId/:token/messages/:messageId', ...webhookRoute, handle: getResponse },
  {
    method: 'PATCH',
    pattern: '/webhooks/:webhookId/:token/messages/:messageId',
    ...webhookRoute,
    handle: editResponse,
  },
  {
    method: 'DELETE',
    pattern: '/webhooks/:webhookId/:token/messages/:messageId',
    ...webhookRoute,
    handle: deleteResponse,
  },
];

/** The flags a response may be created with; LOADING is Discord's to set, not the app's. */
const SETTABLE_FLAGS = MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications;

/**
 * The first response: 4 posts the original message, 5 posts it as a "thinking" placeholder
 * (LOADING, empty) to be filled by an edit. Validation failures leave the interaction
 * unacknowledged, as on Discord, so the app can try again within the 3 s.
 */
function respondToInteraction({ params, query, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const now = performance.now();
  const record = interactionForCallback(
    world,
    param(params, 'interactionId'),
    param(params, 'token'),
    services.interactionTimeouts(),
    now,
  );
  const { type, data } = readCallback(body);
  const request = readMessageBody(data);
  const message =
    type === InteractionResponseType.DeferredChannelMessageWithSource
      ? createPlaceholder(world, record, request, data)
      : createBotMessage(world, {
          channel: record.channel,
          request: { ...request, flags: (request.flags ?? 0) & SETTABLE_FLAGS },
          body: data,
          interactionId: record.id,
        });
  record.acknowledged = { type, at: now };
  record.originalMessageId = message.id;
  publish.created(message);
  publish.interactionCallback({
    interactionId: record.id,
    type,
    flags: message.flags,
    at: now,
    elapsedMs: now - record.dispatchedAt,
  });
  if (query.get('with_response') !== 'true') return noContent;
  return ok(apiCallbackResponse(world, record, type, message));
}

type MessageCallbackType =
  InteractionResponseType.ChannelMessageWithSource | InteractionResponseType.DeferredChannelMessageWithSource;

/** Only the two message responses make sense for a slash command in this fake. */
function readCallback(body: unknown): { type: MessageCallbackType; data: unknown } {
  const type = isRecord(body) ? body['type'] : undefined;
  const data = isRecord(body) ? body['data'] : undefined;
  if (type === InteractionResponseType.ChannelMessageWithSource) return { type, data };
  if (type === InteractionResponseType.DeferredChannelMessageWithSource) return { type, data };
  throw invalidFormBody(['type'], {
    code: 'BASE_TYPE_CHOICES',
    message: `Value must be one of {${InteractionResponseType.ChannelMessageWithSource}, ${InteractionResponseType.DeferredChannelMessageWithSource}}.`,
  });
}

/** The deferred "<app> is thinking…" message: empty, LOADING, ephemeral if the defer said so. */
function createPlaceholder(
  world: World,
  record: InteractionRecord,
  request: MessageBody,
  data: unknown,
): StoredMessage {
  return world.createMessage({
    channel: record.channel,
    author: world.botUser,
    content: '',
    mentionIds: [],
    flags: MessageFlags.Loading | ((request.flags ?? 0) & MessageFlags.Ephemeral),
    createdBody: data,
    interactionId: record.id,
  });
}

/**
 * A follow-up message. While a deferred original is still loading, Discord uses the first
 * follow-up to fill it (keeping the defer's ephemerality) instead of posting a new message.
 */
function createFollowUp(context: RouteContext): RouteResponse {
  const { world, publish } = context.services;
  const record = webhookInteraction(context);
  const request = readMessageBody(context.body);
  const loading = loadingOriginal(context, record);
  let message: StoredMessage;
  if (loading === undefined) {
    message = createBotMessage(world, {
      channel: record.channel,
      request: { ...request, flags: (request.flags ?? 0) & SETTABLE_FLAGS },
      body: context.body,
      interactionId: record.id,
    });
    record.followUpIds.push(message.id);
    publish.created(message);
  } else {
    message = loading;
    editBotMessage(world, message, settled(message, request), context.body);
    publish.updated(message);
  }
  // Without ?wait=true Discord does not wait for the message and answers 204.
  return context.query.get('wait') === 'true' ? ok(apiMessage(world, message)) : noContent;
}

function getResponse(context: RouteContext): RouteResponse {
  const record = webhookInteraction(context);
  return ok(apiMessage(context.services.world, interactionMessage(context.services.world, record, messageId(context))));
}

/** Edits the original (`@original`) or a follow-up; the first edit of a deferral fills it. */
function editResponse(context: RouteContext): RouteResponse {
  const { world, publish } = context.services;
  const record = webhookInteraction(context);
  const message = interactionMessage(world, record, messageId(context));
  editBotMessage(world, message, settled(message, readMessageBody(context.body)), context.body);
  publish.updated(message);
  return ok(apiMessage(world, message));
}

function deleteResponse(context: RouteContext): RouteResponse {
  const { world, publish } = context.services;
  const record = webhookInteraction(context);
  const message = interactionMessage(world, record, messageId(context));
  message.deleted = true;
  publish.deleted(message);
  return noContent;
}

function webhookInteraction({ params, services }: RouteContext): InteractionRecord {
  return interactionForWebhook(
    services.world,
    param(params, 'webhookId'),
    param(params, 'token'),
    services.interactionTimeouts(),
    performance.now(),
  );
}

function messageId({ params }: RouteContext): string {
  return param(params, 'messageId');
}

function loadingOriginal({ services: { world } }: RouteContext, record: InteractionRecord): StoredMessage | undefined {
  const id = record.originalMessageId;
  const original = id === undefined ? undefined : world.messages.get(id);
  if (original === undefined || original.deleted || (original.flags & MessageFlags.Loading) === 0) return undefined;
  return original;
}

/**
 * An edit through the interaction clears LOADING and cannot change ephemerality: whoever could
 * see the message at creation is who sees it for good.
 */
function settled(message: StoredMessage, request: MessageBody): MessageBody {
  const fixed = MessageFlags.Loading | MessageFlags.Ephemeral;
  const flags = ((request.flags ?? message.flags) & ~fixed) | (message.flags & MessageFlags.Ephemeral);
  return { ...request, flags };
}
