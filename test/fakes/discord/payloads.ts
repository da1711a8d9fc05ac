import {
  ApplicationIntegrationType,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  InteractionType,
  Locale,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type {
  APIMessageInteractionMetadata,
  APIAuthorizingIntegrationOwnersMap,
  APIChannel,
  APIDMChannel,
  APIGuildCategoryChannel,
  APIGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatchData,
} from 'discord.js';
import { apiAttachment } from './attachments.js';
import { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS } from './permissions.js';
import { snowflakeTimestamp } from './snowflakes.js';
import type { InteractionRecord } from './interactions.js';
import type { FakeUser, StoredMessage } from './types.js';
import type { ChannelRecord, DmChannelRecord, GuildChannelRecord, GuildRecord, World } from './world.js';

/**
 * Builders of the JSON Discord sends, typed against discord-api-types (re-exported by
 * discord.js) so a missing field is a compile error rather than a runtime surprise.
 */

export { EVERYONE_PERMISSIONS } from './permissions.js';

/** Bit-flag enums have no zero member, yet "no flags" (0) is what Discord sends for most objects. */
const noFlags = <Flags extends number>(): Flags => 0 as Flags;

export function apiUser(user: FakeUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.bot === true ? null : user.username,
    avatar: null,
    bot: user.bot ?? false,
    public_flags: noFlags(),
  };
}

/** A member of `guildId`, with its roles there (the bot has its managed role). */
export function apiMember(world: World, userId: string, guildId: string): APIGuildMember {
  const user = world.users.get(userId);
  if (user === undefined) throw new Error(`fake-discord: unknown user ${userId}`);
  return {
    user: apiUser(user),
    nick: null,
    avatar: null,
    banner: null,
    roles: world.memberRoles(guildId, userId),
    joined_at: world.members.get(userId) ?? new Date().toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: noFlags(),
    pending: false,
    communication_disabled_until: null,
  };
}

export function apiChannel(world: World, channel: ChannelRecord): APIChannel {
  if (channel.kind === 'dm') return apiDmChannel(world, channel);
  return channel.threadOf === undefined ? apiGuildChannel(channel) : apiThread(world, channel, channel.threadOf);
}

/** The channel type a message event names for `channel`. */
export function channelTypeOf(
  channel: ChannelRecord,
): ChannelType.GuildText | ChannelType.PublicThread | ChannelType.DM {
  if (channel.kind === 'dm') return ChannelType.DM;
  return channel.threadOf === undefined ? ChannelType.GuildText : ChannelType.PublicThread;
}

function apiGuildChannel(channel: GuildChannelRecord): APITextChannel {
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: structuredClone(channel.permissionOverwrites),
    parent_id: channel.categoryId ?? null,
    nsfw: false,
    topic: null,
    rate_limit_per_user: 0,
    last_message_id: channel.lastMessageId ?? null,
    flags: noFlags(),
  };
}

function apiCategory(
  guild: GuildRecord,
  category: { readonly id: string; readonly name: string },
): APIGuildCategoryChannel {
  return {
    id: category.id,
    type: ChannelType.GuildCategory,
    guild_id: guild.id,
    name: category.name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    flags: noFlags(),
  };
}

/** A public thread the bot has joined; it follows its parent's permissions. */
function apiThread(world: World, thread: GuildChannelRecord, parentId: string): APIThreadChannel {
  const meta = thread.threadMeta;
  return {
    id: thread.id,
    type: ChannelType.PublicThread,
    guild_id: thread.guildId,
    name: thread.name,
    parent_id: parentId,
    owner_id: meta?.ownerId ?? world.humanUser.id,
    last_message_id: thread.lastMessageId ?? null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 2,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: meta?.autoArchiveDuration ?? ThreadAutoArchiveDuration.OneDay,
      archive_timestamp: new Date(snowflakeTimestamp(thread.id)).toISOString(),
      locked: false,
    },
    member: {
      id: thread.id,
      user_id: world.botUser.id,
      join_timestamp: new Date(snowflakeTimestamp(thread.id)).toISOString(),
      flags: noFlags(),
    },
    flags: noFlags(),
    applied_tags: [],
  };
}

function apiDmChannel(world: World, channel: DmChannelRecord): APIDMChannel {
  const recipient = world.users.get(channel.recipientId);
  return {
    id: channel.id,
    type: ChannelType.DM,
    name: null,
    recipients: recipient === undefined ? [] : [apiUser(recipient)],
    last_message_id: channel.lastMessageId ?? null,
    flags: noFlags(),
  };
}

function everyoneRole(guildId: string): APIRole {
  return {
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: 0,
    permissions: EVERYONE_PERMISSIONS.toString(),
    managed: false,
    mentionable: false,
    flags: noFlags(),
  };
}

/** The role Discord creates for a bot when it joins: managed, tagged with the bot's id. */
function botRole(world: World, guild: GuildRecord): APIRole {
  return {
    ...everyoneRole(guild.id),
    id: guild.botRoleId,
    name: world.botUser.username,
    position: 1,
    permissions: BOT_ROLE_PERMISSIONS.toString(),
    managed: true,
    tags: { bot_id: world.botUser.id },
  };
}

/**
 * READY, plus `private_channels` which Discord still sends (always empty for bots). `guilds` are
 * the session's: those of its shard.
 */
export function apiReady(
  world: World,
  session: {
    readonly sessionId: string;
    readonly resumeUrl: string;
    readonly shard: readonly [number, number] | undefined;
    readonly guilds: readonly GuildRecord[];
  },
): GatewayReadyDispatchData & { private_channels: [] } {
  return {
    v: 10,
    user: { ...apiUser(world.botUser), verified: true, mfa_enabled: false, flags: noFlags(), email: null },
    guilds: session.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
    session_id: session.sessionId,
    resume_gateway_url: session.resumeUrl,
    application: { id: world.applicationId, flags: noFlags(), flags_new: '0' },
    private_channels: [],
    ...(session.shard === undefined ? {} : { shard: [session.shard[0], session.shard[1]] }),
  };
}

export function apiGuildCreate(world: World, guild: GuildRecord): GatewayGuildCreateDispatchData {
  const members = [...world.members.keys()].map((id) => apiMember(world, id, guild.id));
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: world.ownerUser.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [
      everyoneRole(guild.id),
      botRole(world, guild),
      ...guild.roleIds.map((id) => ({
        ...everyoneRole(guild.id),
        id,
        name: `role-${id}`,
        position: 1,
        permissions: world.rolePermissions(id).toString(),
      })),
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channelIds[0] ?? null,
    system_channel_flags: noFlags(),
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    joined_at: world.members.get(world.botUser.id) ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: [
      ...guild.categories.map((category) => apiCategory(guild, category)),
      ...world.guildChannels(guild.id).map(apiGuildChannel),
    ],
    threads: world.guildThreads(guild.id).map((thread) => apiChannel(world, thread) as APIThreadChannel),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A message as REST returns it; `referenced_message` is nested one level deep, as on Discord. */
export function apiMessage(world: World, message: StoredMessage, depth = 0): APIMessage {
  const payload: APIMessage = {
    id: message.id,
    channel_id: message.channelId,
    author: apiUser(message.author),
    content: message.content,
    timestamp: new Date(snowflakeTimestamp(message.id)).toISOString(),
    edited_timestamp: message.editedAt === undefined ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: message.mentionEveryone,
    mentions: message.mentionIds.flatMap((id) => {
      const user = world.users.get(id);
      return user === undefined ? [] : [apiUser(user)];
    }),
    mention_roles: [],
    attachments: message.attachments.map(apiAttachment),
    embeds: message.embeds,
    pinned: false,
    type: messageType(world, message),
    flags: message.flags,
    components: message.components,
  };
  if (message.guildId !== undefined) Object.assign(payload, { guild_id: message.guildId });
  const thread = world.channels.get(message.id);
  if (thread?.kind === 'guild' && thread.threadOf === message.channelId) {
    // A thread started from this message has the message's id, and Discord nests it here.
    payload.thread = apiThread(world, thread, thread.threadOf);
    payload.flags = (payload.flags ?? noFlags()) | MessageFlags.HasThread;
  }
  const interaction = message.interactionId === undefined ? undefined : world.interactions.get(message.interactionId);
  if (interaction !== undefined) {
    // Interaction responses are sent through the application's webhook, and say so.
    payload.webhook_id = world.applicationId;
    payload.application_id = world.applicationId;
    payload.interaction_metadata = interactionMetadata(interaction, message);
  }
  if (message.referencedMessageId !== undefined) {
    const referenced = world.messages.get(message.referencedMessageId);
    payload.message_reference = {
      type: MessageReferenceType.Default,
      message_id: message.referencedMessageId,
      channel_id: message.channelId,
      ...(message.guildId === undefined ? {} : { guild_id: message.guildId }),
    };
    // Discord sends null once the referenced message is gone.
    payload.referenced_message =
      referenced === undefined || referenced.deleted || depth > 0 ? null : apiMessage(world, referenced, depth + 1);
  }
  return payload;
}

/**
 * A slash command's responses are CHAT_INPUT_COMMAND messages; a button's are plain messages
 * that say where they come from in `interaction_metadata` (no `message_reference`).
 */
function messageType(world: World, message: StoredMessage): MessageType {
  const interaction = message.interactionId === undefined ? undefined : world.interactions.get(message.interactionId);
  if (interaction?.trigger.kind === 'command') return MessageType.ChatInputCommand;
  return message.referencedMessageId === undefined ? MessageType.Default : MessageType.Reply;
}

/** Who installed the app where the interaction ran: the guild, or "0" in a DM with the bot. */
export function authorizingOwners(record: InteractionRecord): APIAuthorizingIntegrationOwnersMap {
  const guildId = record.channel.kind === 'guild' ? record.channel.guildId : '0';
  return { [ApplicationIntegrationType.GuildInstall]: guildId };
}

/**
 * `interaction_metadata` of a response; follow-ups also point at the original response, and a
 * button's responses at the message the button is on.
 */
function interactionMetadata(record: InteractionRecord, message: StoredMessage): APIMessageInteractionMetadata {
  const original = record.originalMessageId;
  const common = {
    id: record.id,
    user: apiUser(record.user),
    authorizing_integration_owners: authorizingOwners(record),
    ...(original === undefined || original === message.id ? {} : { original_response_message_id: original }),
  };
  return record.trigger.kind === 'command'
    ? { ...common, type: InteractionType.ApplicationCommand }
    : { ...common, type: InteractionType.MessageComponent, interacted_message_id: record.trigger.messageId };
}

/** MESSAGE_CREATE / MESSAGE_UPDATE data: the REST shape plus guild_id, member and channel_type. */
export function gatewayMessage(world: World, message: StoredMessage): GatewayMessageCreateDispatchData {
  const base = apiMessage(world, message);
  if (message.guildId === undefined) {
    return { ...base, channel_type: ChannelType.DM, mentions: base.mentions };
  }
  const { guildId } = message;
  const member = withoutUser(apiMember(world, message.authorId, guildId));
  const channel = world.channels.get(message.channelId);
  return {
    ...base,
    guild_id: guildId,
    channel_type: channel === undefined ? ChannelType.GuildText : channelTypeOf(channel),
    member,
    mentions: base.mentions.map((user) => ({ ...user, member: withoutUser(apiMember(world, user.id, guildId)) })),
  };
}

/** Message events carry the author's member object without its user: that is `author`. */
export function withoutUser({ user: _user, ...member }: APIGuildMember): Omit<APIGuildMember, 'user'> {
  return member;
}
