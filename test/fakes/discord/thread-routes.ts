import { performance } from 'node:perf_hooks';
import { ThreadAutoArchiveDuration } from 'discord.js';
import {
  DiscordHttpError,
  invalidFormBodyErrors,
  unknownChannel,
  unknownMessage,
  type LocatedFieldError,
} from './errors.js';
import { isRecord } from './message-body.js';
import { apiChannel } from './payloads.js';
import { requireBotMay } from './permissions.js';
import { ok, param, type RouteContext, type RouteDefinition, type RouteResponse } from './router.js';

/** Threads the bot starts; `createThread` on the fake opens one as a person would. */
export const THREAD_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', pattern: '/channels/:channelId/messages/:messageId/threads', handle: startThreadFromMessage },
];

const NAME_MAX = 100;
const ARCHIVE_DURATIONS: readonly number[] = [
  ThreadAutoArchiveDuration.OneHour,
  ThreadAutoArchiveDuration.OneDay,
  ThreadAutoArchiveDuration.ThreeDays,
  ThreadAutoArchiveDuration.OneWeek,
];

const cannotInChannelType = (): DiscordHttpError =>
  new DiscordHttpError(400, { code: 50024, message: 'Cannot execute action on this channel type' });

const threadAlreadyExists = (): DiscordHttpError =>
  new DiscordHttpError(400, { code: 160004, message: 'A thread has already been created for this message' });

/**
 * A public thread on a message of a text channel, as Discord makes it: its id is the message's,
 * the bot (its creator) has joined it, THREAD_CREATE goes out, and the message's payloads carry
 * it as `thread`. Only text channels have such threads (50024 in a DM or a thread), one per
 * message (160004).
 */
function startThreadFromMessage({ params, body, services }: RouteContext): RouteResponse {
  const { world, publish } = services;
  const parent = world.channels.get(param(params, 'channelId'));
  if (parent === undefined) throw unknownChannel();
  if (parent.kind !== 'guild' || parent.threadOf !== undefined) throw cannotInChannelType();
  requireBotMay(world, parent, 'view');
  const message = world.liveMessage(parent.id, param(params, 'messageId'));
  if (message === undefined) throw unknownMessage();
  const { name, autoArchiveDuration } = readThreadBody(body);
  requireBotMay(world, parent, 'startThread');
  if (world.channels.has(message.id)) throw threadAlreadyExists();
  const thread = world.createThread(parent.id, name, {
    id: message.id,
    meta: { ownerId: world.botUser.id, autoArchiveDuration },
  });
  publish.threadCreated(thread, {
    threadId: thread.id,
    parentId: parent.id,
    messageId: message.id,
    name,
    autoArchiveDuration,
    at: performance.now(),
  });
  return ok(apiChannel(world, thread));
}

/** `name` (1–100 characters) and `auto_archive_duration` (one of Discord's four, default a day); every error at once. */
function readThreadBody(body: unknown): { name: string; autoArchiveDuration: ThreadAutoArchiveDuration } {
  const fields = isRecord(body) ? body : {};
  const errors: LocatedFieldError[] = [];
  const name = fields['name'];
  if (name === undefined || name === null) {
    errors.push({ path: ['name'], error: { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' } });
  } else if (typeof name !== 'string' || name.trim().length < 1 || name.length > NAME_MAX) {
    const message = `Must be between 1 and ${NAME_MAX} in length.`;
    errors.push({ path: ['name'], error: { code: 'BASE_TYPE_BAD_LENGTH', message } });
  }
  const duration = fields['auto_archive_duration'] ?? ThreadAutoArchiveDuration.OneDay;
  if (typeof duration !== 'number' || !ARCHIVE_DURATIONS.includes(duration)) {
    const message = `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`;
    errors.push({ path: ['auto_archive_duration'], error: { code: 'BASE_TYPE_CHOICES', message } });
  }
  if (errors.length > 0 || typeof name !== 'string') throw invalidFormBodyErrors(errors);
  return { name, autoArchiveDuration: duration as ThreadAutoArchiveDuration };
}
