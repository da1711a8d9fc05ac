import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { InteractionResponseType } from 'discord.js';
import type { APIApplicationCommandInteractionDataOption } from 'discord.js';
import {
  alreadyAcknowledged,
  invalidWebhookToken,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './errors.js';
import { dataOptions } from './interaction-options.js';
import { EVERYONE_PERMISSIONS } from './payloads.js';
import { memberPermissions } from './permissions.js';
import type {
  FakeButtonInteraction,
  FakeCommandInteraction,
  FakeInteraction,
  FakeUser,
  RunCommandOptions,
  StoredMessage,
} from './types.js';
import type { ChannelRecord, World } from './world.js';

/**
 * Interactions (slash commands and button presses) and the rules of Discord's two clocks.
 * The first response must come within `ackTimeoutMs` (3 s on Discord) or the interaction is
 * gone (10062); after it, the token works for webhook routes for `tokenTtlMs` (15 min) and then
 * answers 401 / 50027. Both clocks start when INTERACTION_CREATE is dispatched.
 */

export interface InteractionTimeouts {
  readonly ackTimeoutMs: number;
  readonly tokenTtlMs: number;
}

export const DEFAULT_INTERACTION_TIMEOUTS: InteractionTimeouts = { ackTimeoutMs: 3000, tokenTtlMs: 15 * 60_000 };

/** A slash command the user ran. */
export interface CommandTrigger {
  readonly kind: 'command';
  readonly command: {
    readonly id: string;
    readonly name: string;
    /** The guild the command is registered in; undefined for a global command. */
    readonly guildId: string | undefined;
  };
  /** As Discord sends them: values, or one subcommand / group with its own nested. */
  readonly options: readonly APIApplicationCommandInteractionDataOption[];
}

/** A button the user pressed on one of the app's messages. */
export interface ButtonTrigger {
  readonly kind: 'button';
  readonly messageId: string;
  readonly customId: string;
}

export type InteractionTrigger = CommandTrigger | ButtonTrigger;

/** An interaction; `Trigger` narrows what started it where the creator knows. */
export interface InteractionRecord<Trigger extends InteractionTrigger = InteractionTrigger> {
  readonly id: string;
  readonly token: string;
  readonly trigger: Trigger;
  readonly channel: ChannelRecord;
  readonly user: FakeUser;
  /** The member's permissions in the channel (unused in DMs). */
  readonly permissions: bigint;
  /** performance.now() when INTERACTION_CREATE was dispatched. */
  readonly dispatchedAt: number;
  /** The accepted first response, if any. */
  acknowledged: { readonly type: InteractionResponseType; readonly at: number } | undefined;
  /** The message a reply (4) or deferral (5) created; 6 and 7 create none. */
  originalMessageId: string | undefined;
  readonly followUpIds: string[];
  /** Set by `expireInteraction`: the token is dead whatever the clocks say. */
  expired: boolean;
}

export interface NewInteraction<Trigger extends InteractionTrigger> {
  readonly trigger: Trigger;
  readonly channel: ChannelRecord;
  readonly user: FakeUser;
  readonly permissions: bigint | undefined;
}

/** Registers an interaction in `world` with fresh id and token; its clocks start now. */
export function registerInteraction<Trigger extends InteractionTrigger>(
  world: World,
  init: NewInteraction<Trigger>,
): InteractionRecord<Trigger> {
  const id = world.ids.next();
  const record: InteractionRecord<Trigger> = {
    id,
    token: newToken(id),
    trigger: init.trigger,
    channel: init.channel,
    user: init.user,
    permissions: init.permissions ?? defaultPermissions(world, init.channel, init.user),
    dispatchedAt: performance.now(),
    acknowledged: undefined,
    originalMessageId: undefined,
    followUpIds: [],
    expired: false,
  };
  world.interactions.set(id, record);
  return record;
}

/** What Discord puts in `member.permissions` when the test says nothing: the member's own. */
function defaultPermissions(world: World, channel: ChannelRecord, user: FakeUser): bigint {
  return channel.kind === 'guild' ? memberPermissions(world, channel.guildId, user.id) : EVERYONE_PERMISSIONS;
}

/** Builds (and registers in `world`) the interaction a user starts by running a slash command. */
export function createCommandInteraction(world: World, options: RunCommandOptions): InteractionRecord<CommandTrigger> {
  if (options.name === '') throw new Error('fake-discord: runCommand needs a command name');
  const user = options.user ?? world.humanUser;
  const channel = options.dm === true ? dmChannel(world, user, options.channelId) : guildChannel(world, user, options);
  const guildId = channel.kind === 'guild' ? channel.guildId : undefined;
  const registered = world.commands.resolve(options.name, guildId);
  const trigger: CommandTrigger = {
    kind: 'command',
    command: {
      id: registered?.id ?? world.ids.next(),
      name: options.name,
      // An unregistered command is treated as one registered in the guild it runs in.
      guildId: registered === undefined ? guildId : registered.guild_id,
    },
    options: dataOptions(options.options ?? []),
  };
  return registerInteraction(world, { trigger, channel, user, permissions: options.permissions });
}

/** The interaction a callback names, if it may still get its first response. */
export function interactionForCallback(
  world: World,
  id: string,
  token: string,
  timeouts: InteractionTimeouts,
  now: number,
): InteractionRecord {
  const record = world.interactions.get(id);
  if (record === undefined || record.token !== token || record.expired) throw unknownInteraction();
  if (record.acknowledged !== undefined) throw alreadyAcknowledged();
  if (now - record.dispatchedAt >= timeouts.ackTimeoutMs) throw unknownInteraction();
  return record;
}

/** The acknowledged interaction whose token a webhook route carries, if the token still works. */
export function interactionForWebhook(
  world: World,
  applicationId: string,
  token: string,
  timeouts: InteractionTimeouts,
  now: number,
): InteractionRecord {
  if (applicationId !== world.applicationId) throw unknownWebhook();
  const record = interactionByToken(world, token);
  if (record === undefined || record.expired || now - record.dispatchedAt >= timeouts.tokenTtlMs) {
    throw invalidWebhookToken();
  }
  // Until the first response there is no webhook message to edit or follow up on.
  if (record.acknowledged === undefined) throw unknownWebhook();
  return record;
}

export function interactionByToken(world: World, token: string): InteractionRecord | undefined {
  for (const record of world.interactions.values()) if (record.token === token) return record;
  return undefined;
}

/**
 * The message `@original` names: the response a reply or deferral created; after a button's
 * deferred update (6) or update (7), the button's own message, as on Discord (editing
 * `@original` after `deferUpdate()` edits the message the button is on).
 */
export function originalMessageIdOf(record: InteractionRecord): string | undefined {
  if (record.originalMessageId !== undefined) return record.originalMessageId;
  const type = record.acknowledged?.type;
  const updated =
    type === InteractionResponseType.DeferredMessageUpdate || type === InteractionResponseType.UpdateMessage;
  return updated && record.trigger.kind === 'button' ? record.trigger.messageId : undefined;
}

/** `@original` or one of the interaction's follow-ups, if it still exists; else 10008. */
export function interactionMessage(world: World, record: InteractionRecord, messageId: string): StoredMessage {
  const originalId = originalMessageIdOf(record);
  const id = messageId === '@original' ? originalId : messageId;
  const message = id === undefined ? undefined : world.messages.get(id);
  const reachable = message?.interactionId === record.id || (message !== undefined && message.id === originalId);
  if (message === undefined || message.deleted || !reachable) throw unknownMessage();
  return message;
}

/**
 * The messages the interaction created: the original response first (a reply or deferral; a
 * button's update creates none), then follow-ups in creation order; deleted ones included.
 */
export function interactionMessages(world: World, record: InteractionRecord): StoredMessage[] {
  const ids =
    record.originalMessageId === undefined ? record.followUpIds : [record.originalMessageId, ...record.followUpIds];
  return ids.flatMap((id) => {
    const message = world.messages.get(id);
    return message === undefined ? [] : [message];
  });
}

/** What `runCommand` / `pressButton` hand the test. */
export function publicInteraction(record: InteractionRecord<CommandTrigger>): FakeCommandInteraction;
export function publicInteraction(record: InteractionRecord<ButtonTrigger>): FakeButtonInteraction;
export function publicInteraction(record: InteractionRecord): FakeInteraction {
  const base = {
    id: record.id,
    token: record.token,
    channelId: record.channel.id,
    guildId: record.channel.kind === 'guild' ? record.channel.guildId : undefined,
    userId: record.user.id,
    dispatchedAt: record.dispatchedAt,
  };
  const { trigger } = record;
  return trigger.kind === 'command'
    ? { ...base, kind: 'command', commandName: trigger.command.name }
    : { ...base, kind: 'button', customId: trigger.customId, messageId: trigger.messageId };
}

function guildChannel(world: World, user: FakeUser, options: RunCommandOptions): ChannelRecord {
  const channelId = options.channelId ?? world.guildChannelIds[0];
  const channel = channelId === undefined ? undefined : world.channels.get(channelId);
  if (channel?.kind !== 'guild') throw new Error(`fake-discord: ${String(channelId)} is not a guild text channel`);
  world.addMember(user);
  return channel;
}

function dmChannel(world: World, user: FakeUser, channelId: string | undefined): ChannelRecord {
  const channel = world.dmChannelFor(world.knowUser(user).id);
  if (channelId !== undefined && channelId !== channel.id) {
    throw new Error(`fake-discord: ${channelId} is not the DM channel of ${user.id}`);
  }
  return channel;
}

/**
 * Discord's tokens are long base64url strings starting with base64("interaction:"); only
 * length and alphabet matter here (they end up in URL paths).
 */
function newToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(96).toString('base64url')}`).toString('base64url');
}
