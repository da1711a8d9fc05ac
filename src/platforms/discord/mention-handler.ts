import type { Message } from 'discord.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import type { AccessPolicy } from '../../core/access/access-policy.js';
import { EMPTY_MENTION_HINT, accessText } from '../../core/user-text.js';
import { messageAsker } from './asker.js';
import { authorRef } from './author-ref.js';
import { channelAccess } from './channel-permissions.js';
import type { ChannelGate } from './channel-permissions.js';
import { messageReplyTarget } from './message-target.js';
import type { OncePerKey } from './once-per-key.js';
import { channelBudgetKey } from './rate-limit-buckets.js';

// A message becomes a question when it mentions the bot (or is a DM to it) and comes from a person,
// in a channel where the bot can post the answer.

export interface MentionHandlerDeps {
  readonly answerer: Answerer;
  readonly gate: ChannelGate;
  readonly budgets: WriteBudgets;
  /** Who may ask; a refused asker is told why at most once per `refusalNotices` key (user and channel). */
  readonly access: AccessPolicy;
  readonly refusalNotices: OncePerKey;
}

export function createMentionHandler({
  answerer,
  gate,
  budgets,
  access,
  refusalNotices,
}: MentionHandlerDeps): (message: Message) => Promise<void> {
  // A hint or a refusal: one post in the channel's write budget, pinging no one.
  const shortReply = async (message: Message, content: string) => {
    await budgets.for(channelBudgetKey(message.channelId)).acquire('post');
    await message.reply({ content, allowedMentions: { parse: [], repliedUser: false } });
  };
  return async (message) => {
    const bot = message.client.user;
    if (message.author.bot || message.author.id === bot.id || message.system) return;
    const addressed =
      message.channel.isDMBased() || message.mentions.has(bot, { ignoreEveryone: true, ignoreRoles: true });
    if (!addressed || !message.channel.isSendable()) return;
    // Nothing could be shown: no model call, no reply attempt (the gate logs it once per channel).
    if (!gate.admits(await channelAccess(message.channel))) return;
    const decision = access(messageAsker(message));
    if (!decision.allowed) {
      // One short reply, not one per message: a refused person repeating the mention costs nothing.
      if (!refusalNotices.due(`${message.channelId}:${message.author.id}`)) return;
      await shortReply(message, accessText[decision.reason]);
      return;
    }

    const prompt = stripMention(message.content, bot.id);
    if (prompt === '') {
      await shortReply(message, EMPTY_MENTION_HINT);
      return;
    }
    const question = {
      id: message.id,
      channelId: message.channelId,
      authorId: message.author.id,
      authorRef: authorRef(message.author.id),
      text: prompt,
      remember: true,
    };
    // Too many waiting: a short reply, and nothing queued or asked.
    const refusal = answerer.refusal(question);
    if (refusal !== null) {
      await shortReply(message, refusal);
      return;
    }
    await answerer.answer(question, messageReplyTarget(message, message.channel, question.id, budgets));
  };
}

/** The question without the mention of the bot. */
export function stripMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, '').replaceAll(`<@!${botId}>`, '').trim();
}
