import { performance } from 'node:perf_hooks';
import { MessageFlags } from 'discord.js';
import { createBotMessage, editBotMessage } from './bot-messages.js';
import { applyCallback } from './interaction-callbacks.js';
import { settled, withSettableFlags } from './interaction-flags.js';
import { apiCallbackResponse } from './interaction-payloads.js';
import {
  interactionByToken,
  interactionForCallback,
  interactionForWebhook,
  interactionMessage,
  type InteractionRecord,
} from './interactions.js';
import { readMessageBody } from './message-body.js';
import { apiMessage } from './payloads.js';
import { noContent, ok, param, type RouteContext, type RouteDefinition, type RouteResponse } from './router.js';
import type { StoredMessage } from './types.js';

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

/**
 * The first response (see interaction-callbacks.ts for what each type does). The response
 * message becomes `@original`: for 6 and 7 that is the button's message, which is not the
 * interaction's own and so stays out of `originalMessageId`.
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
  const { type, message, change } = applyCallback(world, record, body);
  record.acknowledged = { type, at: now };
  if (change === 'created') {
    record.originalMessageId = message.id;
    publish.created(message);
  } else if (change === 'updated') {
    publish.updated(message);
  }
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
      request: withSettableFlags(request),
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

/**
 * Edits the original (`@original`) or a follow-up; the first edit of a deferral fills it. After
 * a button's deferred update or update, `@original` is the message the button is on.
 */
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
