import type { Message } from 'discord.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { EMPTY_MENTION_HINT } from '../../core/user-text.js';
import { authorRef } from './author-ref.js';
import { channelAccess } from './channel-permissions.js';
import type { ChannelGate } from './channel-permissions.js';
import { messageReplyTarget } from './message-target.js';
import { channelBudgetKey } from './rate-limit-buckets.js';

// A message becomes a question when it mentions the bot (or is a DM to it) and comes from a person,
// in a channel where the bot can post the answer.

export interface MentionHandlerDeps {
  readonly answerer: Answerer;
  readonly gate: ChannelGate;
  readonly budgets: WriteBudgets;
}

export function createMentionHandler({
  answerer,
  gate,
  budgets,
}: MentionHandlerDeps): (message: Message) => Promise<void> {
  return async (message) => {
    const bot = message.client.user;
    if (message.author.bot || message.author.id === bot.id || message.system) return;
    const addressed =
      message.channel.isDMBased() || message.mentions.has(bot, { ignoreEveryone: true, ignoreRoles: true });
    if (!addressed || !message.channel.isSendable()) return;
    // Nothing could be shown: no model call, no reply attempt (the gate logs it once per channel).
    if (!gate.admits(await channelAccess(message.channel))) return;

    const prompt = stripMention(message.content, bot.id);
    if (prompt === '') {
      await budgets.for(channelBudgetKey(message.channelId)).acquire('post');
      await message.reply({ content: EMPTY_MENTION_HINT });
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
      await budgets.for(channelBudgetKey(message.channelId)).acquire('post');
      await message.reply({ content: refusal });
      return;
    }
    await answerer.answer(question, messageReplyTarget(message, message.channel, question.id, budgets));
  };
}

/** The question without the mention of the bot. */
export function stripMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, '').replaceAll(`<@!${botId}>`, '').trim();
}
