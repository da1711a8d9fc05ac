import type { Message, SendableChannels } from 'discord.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply-target.js';
import { coreErrors } from './discord-errors.js';

// A reply to a Discord message: the first message replies to the question, the rest continue in the
// channel. allowedMentions is set on the client, so every send and edit carries it.

export function messageReplyTarget(question: Message, channel: SendableChannels): ReplyTarget {
  return {
    channelId: question.channelId,
    start: async (content) => channelMessage(await coreErrors<Message>(() => question.reply({ content }))),
    followUp: (content) => sendToChannel(channel, content),
  };
}

export async function sendToChannel(channel: SendableChannels, content: string): Promise<PostedMessage> {
  return channelMessage(await coreErrors<Message>(() => channel.send({ content })));
}

function channelMessage(message: Message): PostedMessage {
  return {
    id: message.id,
    // Discord buckets message edits per channel.
    budgetKey: message.channelId,
    edit: async (content) => {
      await coreErrors(() => message.edit({ content }));
    },
  };
}
