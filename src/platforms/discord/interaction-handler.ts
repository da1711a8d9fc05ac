import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { Answerer } from '../../core/answerer.js';
import type { CommandContext } from '../../core/command.js';
import type { RunCommand } from '../../core/command-runner.js';
import type { ConversationStore } from '../../core/conversation-store.js';
import type { EditBudgets } from '../../core/edit-budget.js';
import { interactionReplyTarget } from './interaction-target.js';

// Slash commands reach the core's command runner as a context of core services.

export interface InteractionHandlerDeps {
  readonly runCommand: RunCommand;
  readonly answerer: Answerer;
  readonly store: ConversationStore;
  readonly budgets: EditBudgets;
  readonly adminIds: ReadonlySet<string>;
  readonly handoffAfterMs: number;
}

export function createInteractionHandler(deps: InteractionHandlerDeps): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    await deps.runCommand(interaction.commandName, commandContext(interaction, deps));
  };
}

function commandContext(interaction: ChatInputCommandInteraction, deps: InteractionHandlerDeps): CommandContext {
  const { channelId, user } = interaction;
  return {
    channelId,
    caller: {
      userId: user.id,
      // A DM is the caller's own conversation.
      isModerator:
        !interaction.inGuild() || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false),
      isAdmin: deps.adminIds.has(user.id),
    },
    options: {
      string: (name) => interaction.options.getString(name)?.trim() || null,
      boolean: (name) => interaction.options.getBoolean(name),
    },
    respondPrivately: (text) => respondPrivately(interaction, text),
    answer: async (prompt, { private: isPrivate }) => {
      const target = interactionReplyTarget(interaction, {
        private: isPrivate,
        handoffAfterMs: deps.handoffAfterMs,
        budgets: deps.budgets,
      });
      await deps.answerer.answer({ channelId, authorId: user.id, text: prompt, remember: !isPrivate }, target);
    },
    conversation: { clear: () => deps.store.clear(channelId) },
  };
}

// The first response must be the interaction's reply; after it (or a deferral) only follow-ups remain.
async function respondPrivately(interaction: ChatInputCommandInteraction, content: string): Promise<void> {
  const message = { content, flags: MessageFlags.Ephemeral } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(message);
  else await interaction.reply(message);
}
