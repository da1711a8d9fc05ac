import type { Channel, ChatInputCommandInteraction, Guild, GuildMember, Message } from 'discord.js';
import type { APIInteractionGuildMember } from 'discord.js';
import type { Asker } from '../../core/access/access-policy.js';

// The access policy's view of someone asking: who, with which roles, and where, from the channel up
// (a thread, its parent channel, that channel's category), all from discord.js's cache.

export function messageAsker(message: Message): Asker {
  return {
    userId: message.author.id,
    roleIds: message.member ? memberRoles(message.member) : [],
    guildId: message.guildId,
    channelIds: channelAncestry(message.channelId, message.channel, message.guild),
  };
}

export function interactionAsker(interaction: ChatInputCommandInteraction): Asker {
  return {
    userId: interaction.user.id,
    roleIds: interaction.member ? memberRoles(interaction.member) : [],
    guildId: interaction.guildId,
    channelIds: channelAncestry(interaction.channelId, interaction.channel, interaction.guild),
  };
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
