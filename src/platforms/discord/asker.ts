import { PermissionFlagsBits } from 'discord.js';
import type {
  Channel,
  ChatInputCommandInteraction,
  Guild,
  GuildMember,
  Message,
  PermissionsBitField,
} from 'discord.js';
import type { APIInteractionGuildMember } from 'discord.js';
import type { Asker } from '../../core/access/access-policy.js';

// The access policy's view of someone asking: who, with which roles, and where, from the channel up
// (a thread, its parent channel, that channel's category), all from discord.js's cache.

export const messageAsker = (message: Message): Asker =>
  askerOf(message.author.id, message, message.member?.permissions ?? null);

export const interactionAsker = (interaction: ChatInputCommandInteraction): Asker =>
  askerOf(interaction.user.id, interaction, interaction.memberPermissions);

// What a message and an interaction both carry about where they were sent.
interface AskedFrom {
  readonly member: GuildMember | APIInteractionGuildMember | null;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly channel: Channel | null;
  readonly guild: Guild | null;
}

// `permissions`: the member's in the guild (null in a DM); Manage Server makes them the guild's admin.
function askerOf(userId: string, from: AskedFrom, permissions: Readonly<PermissionsBitField> | null): Asker {
  return {
    userId,
    roleIds: from.member ? memberRoles(from.member) : [],
    guildId: from.guildId,
    channelIds: channelAncestry(from.channelId, from.channel, from.guild),
    managesGuild: managesGuild(from.guildId, permissions),
  };
}

export function managesGuild(guildId: string | null, permissions: Readonly<PermissionsBitField> | null): boolean {
  return guildId !== null && (permissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
}

// An interaction's member may come uncached, as the raw API object with its role ids.
function memberRoles(member: GuildMember | APIInteractionGuildMember): string[] {
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
}

function channelAncestry(channelId: string, channel: Channel | null, guild: Guild | null): string[] {
  const ids = [channelId];
  let parentId = channel && 'parentId' in channel ? channel.parentId : null;
  // At most thread → channel → category; the bound guards against a malformed cache.
  while (parentId !== null && ids.length < 3 && !ids.includes(parentId)) {
    ids.push(parentId);
    const parent = guild?.channels.cache.get(parentId);
    parentId = parent && 'parentId' in parent ? parent.parentId : null;
  }
  return ids;
}
