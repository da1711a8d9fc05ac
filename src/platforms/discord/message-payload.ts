import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId } from 'discord.js';
import type { Control, MessageView } from '../../core/reply/message-view.js';

// A core message view as a Discord message body: the content and a row of buttons whose custom ids
// name the control and the answer they act on. Plain API objects rather than builders: this runs
// for every edit, and the builders validate (and allocate) on every call.

const PREFIX = 'streamcord';

const buttons: Record<
  Control,
  { label: string; style: ButtonStyle.Danger | ButtonStyle.Primary | ButtonStyle.Secondary; emoji: string }
> = {
  stop: { label: 'Stop', style: ButtonStyle.Danger, emoji: '⏹️' },
  continue: { label: 'Continue', style: ButtonStyle.Primary, emoji: '▶️' },
  regenerate: { label: 'Regenerate', style: ButtonStyle.Secondary, emoji: '🔄' },
  reasoning: { label: 'Show reasoning', style: ButtonStyle.Secondary, emoji: '💭' },
};

function button(control: Control, answerId: string): APIButtonComponentWithCustomId {
  const { label, style, emoji } = buttons[control];
  return {
    type: ComponentType.Button,
    custom_id: `${PREFIX}:${control}:${answerId}`,
    label,
    style,
    emoji: { name: emoji },
  };
}

export function messagePayload(view: MessageView, answerId: string) {
  const components: APIActionRowComponent<APIButtonComponentWithCustomId>[] =
    view.controls.length === 0
      ? []
      : [{ type: ComponentType.ActionRow, components: view.controls.map((control) => button(control, answerId)) }];
  return { content: view.content, components };
}

/** The control and answer a button's custom id names; null for buttons that are not ours. */
export function parseControlId(customId: string): { control: Control; answerId: string } | null {
  const [prefix, control, answerId] = customId.split(':');
  if (prefix !== PREFIX || answerId === undefined || control === undefined || !Object.hasOwn(buttons, control)) {
    return null;
  }
  return { control: control as Control, answerId };
}
