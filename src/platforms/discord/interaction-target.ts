import { MessageFlags } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { createKeyedQueue } from '../../core/keyed-queue.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteKind } from '../../core/reply/write-budget.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { locate } from './message-locator.js';
import { messagePayload } from './message-payload.js';
import { coreErrors } from './discord-errors.js';
import { sendToChannel } from './message-target.js';
import { webhookBudgetKey } from './rate-limit-buckets.js';

// The reply to a slash command: deferring is the acknowledgement (and the placeholder), the answer
// edits the original response and continues in follow-ups. The interaction token dies 15 minutes
// after the interaction, so near `handoffAfterMs` the reply is sealed and a public answer goes on
// in ordinary channel messages; a private one cannot, and ends with a notice. The token's webhook is
// one rate-limit bucket with a write budget of its own; the deferral is exempt from it.

export interface InteractionTargetOptions {
  /** The answer the reply's buttons act on. */
  readonly answerId: string;
  readonly private: boolean;
  /** How long after the interaction its messages are still edited through the token. */
  readonly handoffAfterMs: number;
  readonly budgets: WriteBudgets;
}

export function interactionReplyTarget(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  options: InteractionTargetOptions,
): ReplyTarget {
  const handoffAt = interaction.createdTimestamp + options.handoffAfterMs;
  const flags = options.private ? { flags: MessageFlags.Ephemeral as const } : {};
  const channel = interaction.channel?.isSendable() ? interaction.channel : null;
  const budgetKey = webhookBudgetKey(interaction.token);
  const webhook = webhookRequests(options.budgets, budgetKey);
  // While the deferred response still shows "thinking", Discord puts the first follow-up into it
  // instead of posting a new message; so follow-ups wait until the original has had its first edit
  // (or that edit failed: a follow-up must never wait forever, holding the channel).
  let originalShown: () => void = () => {};
  const originalEdited = new Promise<void>((resolve) => (originalShown = resolve));

  const payload = (view: MessageView) => messagePayload(view, options.answerId);
  const webhookMessage = (id: string, message: string): PostedMessage => ({
    id,
    budgetKey,
    locator: locate({
      kind: 'webhook',
      applicationId: interaction.applicationId,
      token: interaction.token,
      messageId: message,
    }),
    edit: async (view) => {
      try {
        // The caller took the edit's slot, as an intermediate or a final edit.
        await webhook(null, () => interaction.editReply({ message, ...payload(view) }));
      } finally {
        if (message === '@original') originalShown();
      }
    },
    delete: () => webhook('post', () => interaction.deleteReply(message)),
  });

  return {
    channelId: interaction.channelId,
    deadline: { at: handoffAt, continuesAfterDeadline: !options.private && channel !== null },
    async start() {
      // The response names its message, so a reply to it (a branch) or its deletion finds the answer.
      const response = await coreErrors(() => interaction.deferReply({ ...flags, withResponse: true }));
      return webhookMessage(response.interaction.responseMessageId ?? interaction.id, '@original');
    },
    async followUp(view) {
      if (channel && Date.now() >= handoffAt) return sendToChannel(channel, view, options.answerId, options.budgets);
      await originalEdited;
      const message = await webhook('post', () => interaction.followUp({ ...payload(view), ...flags }));
      return webhookMessage(message.id, message.id);
    },
  };
}

// An interaction's edits and follow-ups share one rate-limit bucket across routes, and discord.js
// learns a route's bucket only from its first response; so they go one at a time, in order. A write
// the caller has not budgeted yet (`kind`) takes its slot before it queues.
function webhookRequests(budgets: WriteBudgets, budgetKey: string) {
  const queue = createKeyedQueue();
  return async <T>(kind: WriteKind | null, request: () => Promise<T>): Promise<T> => {
    if (kind !== null) await budgets.for(budgetKey).acquire(kind);
    return queue.run(budgetKey, () => coreErrors(request));
  };
}
