import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Control, MessageView } from '../../core/message-view.js';

// A core message view as a Discord message body: the content and a row of buttons whose custom ids
// name the control and the answer they act on.

const PREFIX = 'streamcord';

const buttons: Record<Control, { label: string; style: ButtonStyle; emoji: string }> = {
  stop: { label: 'Stop', style: ButtonStyle.Danger, emoji: '⏹️' },
  continue: { label: 'Continue', style: ButtonStyle.Primary, emoji: '▶️' },
  regenerate: { label: 'Regenerate', style: ButtonStyle.Secondary, emoji: '🔄' },
};

export function messagePayload(view: MessageView, answerId: string) {
  if (view.controls.length === 0) return { content: view.content, components: [] };
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    view.controls.map((control) =>
      new ButtonBuilder()
        .setCustomId(`${PREFIX}:${control}:${answerId}`)
        .setLabel(buttons[control].label)
        .setStyle(buttons[control].style)
        .setEmoji(buttons[control].emoji),
    ),
  );
  return { content: view.content, components: [row] };
}

/** The control and answer a button's custom id names; null for buttons that are not ours. */
export function parseControlId(customId: string): { control: Control; answerId: string } | null {
  const [prefix, control, answerId] = customId.split(':');
  if (prefix !== PREFIX || answerId === undefined || control === undefined || !Object.hasOwn(buttons, control)) {
    return null;
  }
  return { control: control as Control, answerId };
}
