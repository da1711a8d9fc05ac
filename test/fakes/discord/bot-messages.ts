import { resolveMentions } from './mentions.js';
import { assertUniqueCustomIds } from './message-components.js';
import { assertNotEmpty, type MessageBody } from './message-body.js';
import type { StoredMessage } from './types.js';
import type { ChannelRecord, World } from './world.js';

/**
 * How the bot's messages come to be and change, whichever route asks: a channel POST/PATCH or
 * an interaction callback/webhook. Validation of the body (50035) happened in readMessageBody.
 */

export interface BotMessageInit {
  readonly channel: ChannelRecord;
  readonly request: MessageBody;
  /** The raw JSON body, kept as `createdBody`. */
  readonly body: unknown;
  readonly referenced?: StoredMessage | undefined;
  readonly interactionId?: string;
}

/** Creates a message by the bot; 50006 when it would be empty. The caller publishes it. */
export function createBotMessage(world: World, init: BotMessageInit): StoredMessage {
  const { channel, request, referenced } = init;
  const content = request.content ?? '';
  assertUniqueCustomIds(request.components ?? []);
  assertNotEmpty(content, request.embeds ?? [], request.components ?? [], request.hasOtherContent);
  const mentions = resolveMentions(content, request.allowedMentions, (id) => world.users.has(id), referenced?.authorId);
  return world.createMessage({
    channel,
    author: world.botUser,
    content,
    embeds: request.embeds ?? [],
    components: request.components ?? [],
    mentionIds: mentions.userIds,
    mentionEveryone: mentions.everyone,
    flags: request.flags ?? 0,
    createdBody: init.body,
    referencedMessageId: referenced?.id,
    ...(init.interactionId === undefined ? {} : { interactionId: init.interactionId }),
  });
}

/**
 * Applies an edit; 50006 when the message would be empty afterwards (an edit that sends only
 * embeds keeps the old content). Components are replaced only when the body has the key (`[]`
 * takes them all off), like content and embeds. The caller publishes the update.
 */
export function editBotMessage(world: World, message: StoredMessage, request: MessageBody, body: unknown): void {
  const content = request.content ?? message.content;
  const embeds = request.embeds ?? message.embeds;
  const components = request.components ?? message.components;
  assertUniqueCustomIds(components);
  assertNotEmpty(content, embeds, components, request.hasOtherContent);
  applyEdit(world, message, request, { content, embeds, components });
  message.lastEditBody = body;
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
