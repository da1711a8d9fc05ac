import type { types } from '@slack/bolt';
import type { Control } from '../../core/reply/message-view.js';
import { controlLabels, PLACEHOLDER } from '../../core/user-text.js';

// The buttons under an answer as Slack Block Kit, and back: each button's action_id names the
// control, its value the answer it acts on (answer ids are question ids, far below Slack's 2000
// characters for a value). A message with buttons cannot carry `markdown_text` (Slack refuses it
// beside `blocks`): its text goes in a `markdown` block above an `actions` block instead, with a
// short plain `text` for notifications and screen readers.

const ACTION_PREFIX = 'streamcord:';
/** Every action_id of ours: what the app listens for. */
export const CONTROL_ACTION = /^streamcord:(stop|continue|regenerate|reasoning)$/;

const looks: Record<Control, { emoji: string; style?: 'danger' | 'primary' }> = {
  stop: { emoji: '⏹️', style: 'danger' },
  continue: { emoji: '▶️', style: 'primary' },
  regenerate: { emoji: '🔄' },
  reasoning: { emoji: '💭' },
};

// Slack cuts `text` over 4,000 characters (msg_too_long); a notification needs far less.
const NOTIFICATION_LENGTH = 300;

function button(control: Control, answerId: string): types.Button {
  const { emoji, style } = looks[control];
  return {
    type: 'button',
    action_id: `${ACTION_PREFIX}${control}`,
    text: { type: 'plain_text', text: `${emoji} ${controlLabels[control]}`, emoji: true },
    value: answerId,
    ...(style === undefined ? {} : { style }),
  };
}

/** One row of buttons for `controls`, acting on answer `answerId`. */
export function controlsBlock(controls: readonly Control[], answerId: string): types.ActionsBlock {
  return { type: 'actions', elements: controls.map((control) => button(control, answerId)) };
}

/** The `blocks` a message ends with for its controls, or nothing when it has none. */
export function endBlocks(controls: readonly Control[], answerId: string): { blocks?: types.ActionsBlock[] } {
  return controls.length === 0 ? {} : { blocks: [controlsBlock(controls, answerId)] };
}

export type MessageBody =
  | { readonly markdown_text: string }
  | { readonly text: string; readonly blocks: (types.MarkdownBlock | types.ActionsBlock)[] };

/** What chat.postMessage / chat.update get for a message's (already Slack-ready) text and controls. */
export function messageBody(text: string, controls: readonly Control[], answerId: string): MessageBody {
  const shown = text || PLACEHOLDER;
  if (controls.length === 0) return { markdown_text: shown };
  return {
    text: notification(shown),
    blocks: [{ type: 'markdown', text: shown }, controlsBlock(controls, answerId)],
  };
}

function notification(text: string): string {
  const points = Array.from(text);
  return points.length <= NOTIFICATION_LENGTH ? text : `${points.slice(0, NOTIFICATION_LENGTH).join('')}…`;
}

/** The control and answer a pressed button names; null for anything that is not one of ours. */
export function parseControlAction(
  actionId: string,
  value: string | undefined,
): { control: Control; answerId: string } | null {
  const control = CONTROL_ACTION.exec(actionId)?.[1] as Control | undefined;
  if (control === undefined || !value) return null;
  return { control, answerId: value };
}
