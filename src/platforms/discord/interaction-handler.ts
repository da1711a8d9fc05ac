import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { AnswerControls, PressResult } from '../../core/answer/answer-controls.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { Caller } from '../../core/commands/caller.js';
import type { CommandContext } from '../../core/commands/command.js';
import type { RunCommand } from '../../core/commands/command-runner.js';
import type { ConversationReset } from '../../core/answer/conversation-reset.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import type { AccessPolicy } from '../../core/access/access-policy.js';
import { accessText, commandText, controlText } from '../../core/user-text.js';
import { interactionAsker } from './asker.js';
import type { ChannelAccessQuery, ChannelGate } from './channel-permissions.js';
import { authorRef } from './author-ref.js';
import { interactionReplyTarget } from './interaction-target.js';
import { parseControlId } from './message-payload.js';

// Slash commands reach the core's command runner as a context of core services; the buttons under
// answers reach the core's answer controls.

export interface InteractionHandlerDeps {
  readonly runCommand: RunCommand;
  readonly answerer: Answerer;
  readonly controls: AnswerControls;
  readonly conversations: ConversationReset;
  readonly budgets: WriteBudgets;
  readonly adminIds: ReadonlySet<string>;
  readonly handoffAfterMs: number;
  /** Whether the bot may post in the channel; a public /ask is refused where it may not. */
  readonly gate: ChannelGate;
  /** Who may ask; a refused /ask is told why privately. */
  readonly access: AccessPolicy;
}

export function createInteractionHandler(deps: InteractionHandlerDeps): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    if (interaction.isChatInputCommand()) {
      await deps.runCommand(interaction.commandName, commandContext(interaction, deps));
    } else if (interaction.isButton()) {
      await pressButton(interaction, deps);
    }
  };
}

function callerOf(interaction: ChatInputCommandInteraction | ButtonInteraction, deps: InteractionHandlerDeps): Caller {
  return {
    userId: interaction.user.id,
    // A DM is the caller's own conversation.
    isModerator:
      !interaction.inGuild() || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false),
    isAdmin: deps.adminIds.has(interaction.user.id),
  };
}

function commandContext(interaction: ChatInputCommandInteraction, deps: InteractionHandlerDeps): CommandContext {
  const { channelId, user } = interaction;
  const caller = callerOf(interaction, deps);
  return {
    channelId,
    caller,
    options: {
      string: (name) => interaction.options.getString(name)?.trim() || null,
      boolean: (name) => interaction.options.getBoolean(name),
      // discord.js resolves the getters above under the subcommand run, so they need no path.
      subcommand: () => interaction.options.getSubcommand(false),
      group: () => interaction.options.getSubcommandGroup(false),
    },
    respondPrivately: (text) => respondPrivately(interaction, text),
    answer: async (prompt, { private: isPrivate }) => {
      // A private answer lives in the interaction's own messages and needs nothing from the channel.
      if (!isPrivate && !deps.gate.admits(interactionAccess(interaction))) {
        await respondPrivately(interaction, commandText.cannotPostHere);
        return;
      }
      const decision = deps.access(interactionAsker(interaction));
      if (!decision.allowed) {
        await respondPrivately(interaction, accessText[decision.reason]);
        return;
      }
      const answerId = interaction.id;
      const question = {
        id: answerId,
        channelId,
        authorId: user.id,
        authorRef: authorRef(user.id),
        text: prompt,
        remember: !isPrivate,
      };
      const refusal = deps.answerer.refusal(question);
      if (refusal !== null) {
        await respondPrivately(interaction, refusal);
        return;
      }
      const target = interactionReplyTarget(interaction, {
        answerId,
        private: isPrivate,
        handoffAfterMs: deps.handoffAfterMs,
        budgets: deps.budgets,
      });
      await deps.answerer.answer(question, target);
    },
    stopStreaming: () => refusalOf(deps.controls.stopInChannel(channelId, caller)),
    conversation: {
      clear: () => deps.conversations.clear(channelId),
      busy: () => deps.conversations.busy(channelId),
    },
  };
}

// Discord says in every interaction what the bot may do in its channel: no cache needed.
function interactionAccess(interaction: ChatInputCommandInteraction): ChannelAccessQuery {
  return {
    channelId: interaction.channelId,
    guildId: interaction.guildId,
    thread: interaction.channel?.isThread() ?? false,
    permissions: interaction.inGuild() ? interaction.appPermissions : null,
  };
}

async function pressButton(interaction: ButtonInteraction, deps: InteractionHandlerDeps): Promise<void> {
  const parsed = parseControlId(interaction.customId);
  if (!parsed) {
    await respondPrivately(interaction, controlText.unknownButton);
    return;
  }
  const pressTarget = () =>
    interactionReplyTarget(interaction, {
      answerId: parsed.answerId,
      private: false,
      handoffAfterMs: deps.handoffAfterMs,
      budgets: deps.budgets,
    });
  const result = deps.controls.press(parsed.control, parsed.answerId, callerOf(interaction, deps), pressTarget);
  if (result.kind === 'refused') {
    await respondPrivately(interaction, result.reason);
    return;
  }
  // The press's own reply acknowledges it when the answer streams there; otherwise acknowledge quietly.
  if (result.kind === 'done' || !result.inNewMessage) await interaction.deferUpdate();
  if (result.kind === 'answering') await result.answering;
}

function refusalOf(result: PressResult): string | null {
  return result.kind === 'refused' ? result.reason : null;
}

// The first response must be the interaction's reply; after it (or a deferral) only follow-ups remain.
async function respondPrivately(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  content: string,
): Promise<void> {
  const message = { content, flags: MessageFlags.Ephemeral } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(message);
  else await interaction.reply(message);
}
