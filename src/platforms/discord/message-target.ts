import type { Message, SendableChannels } from 'discord.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import { coreErrors } from './discord-errors.js';
import { locate } from './message-locator.js';
import { messagePayload } from './message-payload.js';

// A reply to a Discord message: the first message replies to the question, the rest continue in the
// channel. allowedMentions is set on the client, so every send and edit carries it.

export function messageReplyTarget(question: Message, channel: SendableChannels, answerId: string): ReplyTarget {
  return {
    channelId: question.channelId,
    start: async (view) =>
      channelMessage(await coreErrors<Message>(() => question.reply(messagePayload(view, answerId))), answerId),
    followUp: (view) => sendToChannel(channel, view, answerId),
  };
}

export async function sendToChannel(
  channel: SendableChannels,
  view: MessageView,
  answerId: string,
): Promise<PostedMessage> {
  return channelMessage(await coreErrors<Message>(() => channel.send(messagePayload(view, answerId))), answerId);
}

function channelMessage(message: Message, answerId: string): PostedMessage {
  return {
    id: message.id,
    // Discord buckets message edits per channel.
    budgetKey: message.channelId,
    locator: locate({ kind: 'channel', channelId: message.channelId, messageId: message.id }),
    edit: async (view) => {
      await coreErrors(() => message.edit(messagePayload(view, answerId)));
    },
    delete: async () => {
      await coreErrors(() => message.delete());
    },
  };
}
