import { OverwriteType, PermissionFlagsBits } from 'discord.js';
import { missingAccess, missingPermissions, replyWithoutHistory } from './errors.js';
import type { ChannelRecord, GuildChannelRecord, World } from './world.js';

/**
 * The bot's permissions in a channel, computed as Discord does: the union of its roles (@everyone
 * and its managed role), then the channel's @everyone overwrite, its role overwrites and its member
 * overwrite, each deny before allow. A thread follows its parent's overwrites. The REST routes
 * refuse what the bot may not do with Discord's codes.
 */

/** What @everyone may do: enough for a bot to read, send, reply and embed in every channel. */
export const EVERYONE_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseExternalEmojis,
  PermissionFlagsBits.UseApplicationCommands,
].reduce((all, bit) => all | bit, 0n);

/** Every permission bit: what Discord grants a guild's owner and anyone with Administrator. */
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What the bot's managed role grants: what a typical invite asks for. */
export const BOT_ROLE_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.EmbedLinks,
].reduce((all, bit) => all | bit, 0n);

/**
 * A person's permissions in a guild, as Discord computes `member.permissions` for an interaction
 * and discord.js for a message's member: the owner has all; others @everyone's and their roles'
 * (all with Administrator). People get no channel overwrites in the fake.
 */
export function memberPermissions(world: World, guildId: string, userId: string): bigint {
  if (userId === world.ownerUser.id) return ALL_PERMISSIONS;
  if (userId === world.botUser.id) return EVERYONE_PERMISSIONS | BOT_ROLE_PERMISSIONS;
  const permissions = world
    .memberRoles(guildId, userId)
    .reduce((all, roleId) => all | world.rolePermissions(roleId), EVERYONE_PERMISSIONS);
  return (permissions & PermissionFlagsBits.Administrator) === 0n ? permissions : ALL_PERMISSIONS;
}

export function botPermissionsIn(world: World, channel: GuildChannelRecord): bigint {
  const source = channel.threadOf === undefined ? channel : world.channels.get(channel.threadOf);
  if (source?.kind !== 'guild') throw new Error(`fake-discord: thread ${channel.id} has no parent`);
  const guild = world.guild(channel.guildId);
  const roles = world.memberRoles(guild.id, world.botUser.id);
  let permissions = EVERYONE_PERMISSIONS | (roles.length > 0 ? BOT_ROLE_PERMISSIONS : 0n);
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return permissions;
  const overwrites = source.permissionOverwrites;
  const apply = (matching: typeof overwrites): void => {
    const deny = matching.reduce((all, overwrite) => all | BigInt(overwrite.deny), 0n);
    const allow = matching.reduce((all, overwrite) => all | BigInt(overwrite.allow), 0n);
    permissions = (permissions & ~deny) | allow;
  };
  apply(overwrites.filter((overwrite) => overwrite.id === guild.id));
  apply(overwrites.filter((overwrite) => overwrite.type === OverwriteType.Role && roles.includes(overwrite.id)));
  apply(overwrites.filter((overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === world.botUser.id));
  return permissions;
}

/** Sets the bot's member overwrite in a text channel: `deny` taken away, nothing added. */
export function denyBot(world: World, channel: GuildChannelRecord, deny: bigint): void {
  if (channel.threadOf !== undefined) throw new Error('fake-discord: a thread has no overwrites; deny its parent');
  restoreBot(world, channel);
  channel.permissionOverwrites.push({
    id: world.botUser.id,
    type: OverwriteType.Member,
    allow: '0',
    deny: deny.toString(),
  });
}

/** Removes the bot's member overwrite from a text channel. */
export function restoreBot(world: World, channel: GuildChannelRecord): void {
  const index = channel.permissionOverwrites.findIndex(
    (overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === world.botUser.id,
  );
  if (index !== -1) channel.permissionOverwrites.splice(index, 1);
}

/** What the bot does in a channel through the channel routes (interaction webhooks need nothing). */
export type BotAction = 'view' | 'post' | 'reply' | 'startThread';

/**
 * Throws Discord's error if the bot may not do `action` in `channel`: 50001 when it cannot see the
 * channel, 50013 when it cannot post there (Send Messages, or Send Messages in Threads in a thread),
 * 160002 for a reply without Read Message History; 50013 for a thread from a message without Create
 * Public Threads and Read Message History. DMs are always open.
 */
export function requireBotMay(world: World, channel: ChannelRecord, action: BotAction): void {
  if (channel.kind !== 'guild') return;
  const permissions = botPermissionsIn(world, channel);
  const has = (bit: bigint): boolean => (permissions & bit) === bit;
  if (!has(PermissionFlagsBits.ViewChannel)) throw missingAccess();
  if (action === 'view') return;
  if (action === 'startThread') {
    // A thread from a message: Create Public Threads, and Read Message History to see the message.
    if (!has(PermissionFlagsBits.CreatePublicThreads | PermissionFlagsBits.ReadMessageHistory)) {
      throw missingPermissions();
    }
    return;
  }
  const send =
    channel.threadOf === undefined ? PermissionFlagsBits.SendMessages : PermissionFlagsBits.SendMessagesInThreads;
  if (!has(send)) throw missingPermissions();
  if (action === 'reply' && !has(PermissionFlagsBits.ReadMessageHistory)) throw replyWithoutHistory();
}
