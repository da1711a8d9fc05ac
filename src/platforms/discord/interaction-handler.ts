import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { AnswerControls, PressResult } from '../../core/answer/answer-controls.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { Caller } from '../../core/commands/caller.js';
import type { CommandContext } from '../../core/commands/command.js';
import type { RunCommand } from '../../core/commands/command-runner.js';
import type { ConversationReset } from '../../core/answer/conversation-reset.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { admissionText } from '../../core/access/admission.js';
import type { Admit } from '../../core/access/admission.js';
import type { UsageViewer } from '../../core/budget/usage-report.js';
import type { Clock } from '../../core/ports/clock.js';
import type { SettingsAdmin } from '../../core/settings/settings-admin.js';
import { commandText, controlText } from '../../core/user-text.js';
import { interactionAsker, managesGuild } from './asker.js';
import type { ChannelAccessQuery, ChannelGate } from './channel-permissions.js';
import { budgetChannelId } from './budget-channel.js';
import { authorRef } from './author-ref.js';
import { interactionReplyTarget } from './interaction-target.js';
import { parseControlId } from './message-payload.js';
import type { FetchAttachment } from '../shared/attachment-fetcher.js';
import { attachmentOption } from './message-attachments.js';

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
  /** Who may ask, budgets and queue; a refused /ask is told why privately. */
  readonly admit: Admit;
  readonly settings: SettingsAdmin;
  readonly usageReport: (viewer: UsageViewer) => Promise<string>;
  readonly clock: Clock;
  /** Downloads the file picked for /ask (Discord's attachment hosts only). */
  readonly fetchAttachment: FetchAttachment;
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
    // The bot's admins everywhere; members with Manage Server in their server.
    isAdmin: deps.adminIds.has(interaction.user.id) || managesGuild(interaction.guildId, interaction.memberPermissions),
  };
}

function commandContext(interaction: ChatInputCommandInteraction, deps: InteractionHandlerDeps): CommandContext {
  const { channelId, guildId, user } = interaction;
  const caller = callerOf(interaction, deps);
  const asker = interactionAsker(interaction);
  return {
    channelId,
    place: asker,
    caller,
    options: {
      string: (name) => interaction.options.getString(name)?.trim() || null,
      boolean: (name) => interaction.options.getBoolean(name),
      attachment: (name) => attachmentOption(interaction.options.getAttachment(name), deps.fetchAttachment),
      // discord.js resolves the getters above under the subcommand run, so they need no path.
      subcommand: () => interaction.options.getSubcommand(false),
      group: () => interaction.options.getSubcommandGroup(false),
    },
    respondPrivately: (text) => respondPrivately(interaction, text),
    answer: async (prompt, { private: isPrivate, attachments = [] }) => {
      // A private answer lives in the interaction's own messages and needs nothing from the channel.
      if (!isPrivate && !deps.gate.admits(interactionAccess(interaction))) {
        await respondPrivately(interaction, commandText.cannotPostHere);
        return;
      }
      const answerId = interaction.id;
      const question = {
        id: answerId,
        channelId,
        budgetChannelId: budgetChannelId(channelId, interaction.channel),
        guildId,
        authorId: user.id,
        authorRef: authorRef(user.id),
        text: prompt,
        remember: !isPrivate,
        attachments,
      };
      const admission = await deps.admit(question, asker);
      if (admission.kind !== 'admitted') {
        await respondPrivately(interaction, admissionText(admission, deps.clock.now()));
        return;
      }
      const target = interactionReplyTarget(interaction, {
        answerId,
        private: isPrivate,
        handoffAfterMs: deps.handoffAfterMs,
        budgets: deps.budgets,
      });
      const started = deps.answerer.start({ question: admission.question, target });
      if ('refused' in started) await respondPrivately(interaction, started.refused);
      else await started.answering;
    },
    usageReport: () => deps.usageReport({ userId: user.id, channelId, guildId, isAdmin: caller.isAdmin }),
    settings: deps.settings,
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
  const result = await deps.controls.press(parsed.control, parsed.answerId, callerOf(interaction, deps), pressTarget);
  if (result.kind === 'refused') {
    await respondPrivately(interaction, result.reason);
    return;
  }
  // Ephemeral: only the one who pressed sees it, never the channel.
  if (result.kind === 'private') {
    for (const message of result.messages) await respondPrivately(interaction, message);
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
