import type { Message } from 'discord.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { admissionText } from '../../core/access/admission.js';
import type { Admit } from '../../core/access/admission.js';
import type { Clock } from '../../core/ports/clock.js';
import { messageAsker } from './asker.js';
import type { FetchAttachment } from '../shared/attachment-fetcher.js';
import { messageAttachments } from './message-attachments.js';
import { authorRef } from './author-ref.js';
import { budgetChannelId } from './budget-channel.js';
import type { ChannelGate } from './channel-permissions.js';
import type { MessageRouting } from './message-routing.js';
import type { OncePerKey } from './once-per-key.js';
import { channelBudgetKey } from './rate-limit-buckets.js';

// A message becomes a question when it mentions the bot (or is a DM to it) and comes from a person,
// in a channel where the bot can post the answer, and the admission (access lists, budgets, queue)
// lets it through.

export interface MentionHandlerDeps {
  readonly answerer: Answerer;
  readonly gate: ChannelGate;
  readonly budgets: WriteBudgets;
  readonly admit: Admit;
  /** A person the access lists refuse is told why at most once per key (user and channel). */
  readonly refusalNotices: OncePerKey;
  readonly clock: Clock;
  /** The question's conversation and where its answer goes (a thread, a branch). */
  readonly routing: MessageRouting;
  /** Downloads a question's files from Discord's attachment hosts (only). */
  readonly fetchAttachment: FetchAttachment;
}

export function createMentionHandler(deps: MentionHandlerDeps): (message: Message) => Promise<void> {
  const { answerer, gate, budgets } = deps;
  // A hint or a refusal: one post in the channel's write budget, pinging no one.
  const shortReply = async (message: Message, content: string) => {
    await budgets.for(channelBudgetKey(message.channelId)).acquire('post');
    await message.reply({ content, allowedMentions: { parse: [], repliedUser: false } });
  };
  return async (message) => {
    const bot = message.client.user;
    if (message.author.bot || message.author.id === bot.id || message.system) return;
    const addressed =
      message.channel.isDMBased() ||
      message.mentions.has(bot, { ignoreEveryone: true, ignoreRoles: true }) ||
      deps.routing.followsUp(message);
    if (!addressed || !message.channel.isSendable()) return;
    const route = await deps.routing.route(message, message.channel);
    // Nothing could be shown: no model call, no reply attempt (the gate logs it once per channel).
    if (!gate.admits(route.access)) return;

    const question = {
      id: message.id,
      channelId: route.channelId,
      budgetChannelId: budgetChannelId(message.channelId, message.channel),
      guildId: message.guildId,
      authorId: message.author.id,
      authorRef: authorRef(message.author.id),
      text: stripMention(message.content, bot.id),
      remember: true,
      ...(route.parentId === undefined ? {} : { parentId: route.parentId }),
      attachments: await messageAttachments(message, deps.fetchAttachment),
    };
    // One short reply to a refused person, not one per message: repeating the mention costs nothing.
    const tellRefused = () => deps.refusalNotices.due(`${message.channelId}:${message.author.id}`);
    const admission = await deps.admit(question, messageAsker(message), { tellRefused });
    if (admission.kind === 'admitted') {
      const started = answerer.start(await route.job(admission.question));
      if ('refused' in started) return shortReply(message, started.refused);
      await started.answering;
      return;
    }
    if (admission.kind === 'not-allowed' && !admission.told) return;
    await shortReply(message, admissionText(admission, deps.clock.now()));
  };
}

/** The question without the mention of the bot. */
export function stripMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, '').replaceAll(`<@!${botId}>`, '').trim();
}
