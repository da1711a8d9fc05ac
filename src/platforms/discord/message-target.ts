import type { Message, SendableChannels } from 'discord.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { coreErrors } from './discord-errors.js';
import { locate } from './message-locator.js';
import { messagePayload } from './message-payload.js';
import { channelBudgetKey } from './rate-limit-buckets.js';

// A reply to a Discord message: the first message replies to the question, the rest continue in the
// channel. Each post takes a slot of the channel's write budget first. allowedMentions is set on the
// client, so every send and edit carries it.

export function messageReplyTarget(
  question: Message,
  channel: SendableChannels,
  answerId: string,
  budgets: WriteBudgets,
): ReplyTarget {
  return {
    channelId: question.channelId,
    start: async (view) => {
      await budgets.for(channelBudgetKey(question.channelId)).acquire('post');
      return channelMessage(await coreErrors<Message>(() => question.reply(messagePayload(view, answerId))), answerId);
    },
    followUp: (view) => sendToChannel(channel, view, answerId, budgets),
  };
}

export async function sendToChannel(
  channel: SendableChannels,
  view: MessageView,
  answerId: string,
  budgets: WriteBudgets,
): Promise<PostedMessage> {
  await budgets.for(channelBudgetKey(channel.id)).acquire('post');
  return channelMessage(await coreErrors<Message>(() => channel.send(messagePayload(view, answerId))), answerId);
}

function channelMessage(message: Message, answerId: string): PostedMessage {
  return {
    id: message.id,
    budgetKey: channelBudgetKey(message.channelId),
    locator: locate({ kind: 'channel', channelId: message.channelId, messageId: message.id }),
    edit: async (view) => {
      await coreErrors(() => message.edit(messagePayload(view, answerId)));
    },
    // Deletes have a bucket of their own, apart from the channel's creates and edits.
    delete: async () => {
      await coreErrors(() => message.delete());
    },
  };
}
