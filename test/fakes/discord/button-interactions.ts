import { buttonsIn } from './message-components.js';
import { registerInteraction, type ButtonTrigger, type InteractionRecord } from './interactions.js';
import type { FakeUser, PressButtonOptions, StoredMessage } from './types.js';
import type { ChannelRecord, World } from './world.js';

/**
 * A user pressing a button. Discord's client only offers buttons that are on the message now
 * and enabled, to people who can see the message; the fake throws for anything else, so a test
 * cannot press a button the bot has taken away (it asserts on `buttonsOf` instead).
 */

export interface ButtonPress {
  readonly record: InteractionRecord<ButtonTrigger>;
  /** The message the button is on, as it is at the press (INTERACTION_CREATE carries it). */
  readonly message: StoredMessage;
}

export function createButtonInteraction(world: World, options: PressButtonOptions): ButtonPress {
  const message = world.messages.get(options.messageId);
  if (message === undefined || message.deleted) {
    throw new Error(`fake-discord: no live message ${options.messageId} to press a button on`);
  }
  assertPressable(message, options.customId);
  const channel = world.channels.get(message.channelId);
  if (channel === undefined) throw new Error(`fake-discord: message ${message.id} is in no known channel`);
  const user = presser(world, message, channel, options.user);
  const trigger: ButtonTrigger = { kind: 'button', messageId: message.id, customId: options.customId };
  const record = registerInteraction(world, { trigger, channel, user, permissions: options.permissions });
  return { record, message };
}

/** The message's current components must hold an enabled button with that custom_id. */
function assertPressable(message: StoredMessage, customId: string): void {
  const buttons = buttonsIn(message.components);
  const button = buttons.find((candidate) => candidate.customId === customId);
  if (button === undefined) {
    const present = buttons.map((candidate) => `'${candidate.customId}'`).join(', ') || 'none';
    throw new Error(`fake-discord: message ${message.id} has no button '${customId}' (buttons: ${present})`);
  }
  if (button.disabled) throw new Error(`fake-discord: button '${customId}' on ${message.id} is disabled`);
}

/**
 * Who presses: only the recipient sees a DM and only the interaction's user an ephemeral
 * response, so they are the default and nobody else may press; in a guild channel anyone may,
 * and joins the guild if new.
 */
function presser(
  world: World,
  message: StoredMessage,
  channel: ChannelRecord,
  requested: FakeUser | undefined,
): FakeUser {
  const onlyViewer = soleViewerId(world, message, channel);
  const user = requested ?? (onlyViewer === undefined ? world.humanUser : world.users.get(onlyViewer));
  if (user === undefined) throw new Error(`fake-discord: unknown user ${String(onlyViewer)}`);
  if (onlyViewer !== undefined && user.id !== onlyViewer) {
    throw new Error(`fake-discord: ${user.id} cannot see message ${message.id}, so cannot press its buttons`);
  }
  return channel.kind === 'guild' ? world.addMember(user) : world.knowUser(user);
}

function soleViewerId(world: World, message: StoredMessage, channel: ChannelRecord): string | undefined {
  if (message.ephemeral && message.interactionId !== undefined) {
    return world.interactions.get(message.interactionId)?.user.id;
  }
  return channel.kind === 'dm' ? channel.recipientId : undefined;
}
