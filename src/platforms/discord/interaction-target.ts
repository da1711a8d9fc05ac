import { MessageFlags } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { EditBudgets } from '../../core/reply/edit-budget.js';
import { createKeyedQueue } from '../../core/keyed-queue.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../../core/reply/reply-target.js';
import { locate } from './message-locator.js';
import { messagePayload } from './message-payload.js';
import { coreErrors } from './discord-errors.js';
import { sendToChannel } from './message-target.js';
import { webhookBudgetKey } from './rate-limit-feed.js';

// The reply to a slash command: deferring is the acknowledgement (and the placeholder), the answer
// edits the original response and continues in follow-ups. The interaction token dies 15 minutes
// after the interaction, so near `handoffAfterMs` the reply is sealed and a public answer goes on
// in ordinary channel messages; a private one cannot, and ends with a notice.

export interface InteractionTargetOptions {
  /** The answer the reply's buttons act on. */
  readonly answerId: string;
  readonly private: boolean;
  /** How long after the interaction its messages are still edited through the token. */
  readonly handoffAfterMs: number;
  readonly budgets: EditBudgets;
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
        await webhook(() => interaction.editReply({ message, ...payload(view) }));
      } finally {
        if (message === '@original') originalShown();
      }
    },
    delete: () => webhook(() => interaction.deleteReply(message)),
  });

  return {
    channelId: interaction.channelId,
    deadline: { at: handoffAt, continuesAfterDeadline: !options.private && channel !== null },
    async start() {
      await coreErrors(() => interaction.deferReply(flags));
      return webhookMessage(interaction.id, '@original');
    },
    async followUp(view) {
      if (channel && Date.now() >= handoffAt) return sendToChannel(channel, view, options.answerId);
      await originalEdited;
      const message = await webhook(() => interaction.followUp({ ...payload(view), ...flags }));
      return webhookMessage(message.id, message.id);
    },
  };
}

// An interaction's edits and follow-ups share one rate-limit bucket across routes, and discord.js
// learns a route's bucket only from its first response; so they go one at a time, each waiting
// while the headers say the bucket is spent.
function webhookRequests(budgets: EditBudgets, budgetKey: string) {
  const queue = createKeyedQueue();
  return <T>(request: () => Promise<T>): Promise<T> =>
    queue.run(budgetKey, async () => {
      await budgets.for(budgetKey).open();
      return coreErrors(request);
    });
}
