import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
} from 'discord.js';
import type {
  APIChatInputApplicationCommandDMInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIChatInputApplicationCommandInteraction,
  APIChatInputApplicationCommandInteractionData,
  APIInteractionDataResolved,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';
import type { InteractionRecord } from './interactions.js';
import {
  apiChannel,
  apiMember,
  apiMessage,
  apiUser,
  authorizingOwners,
  EVERYONE_PERMISSIONS,
  withoutUser,
} from './payloads.js';
import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/**
 * INTERACTION_CREATE for a slash command and the callback's `with_response` answer, typed
 * against discord-api-types. discord.js reads more of the interaction than the types require
 * (it calls `entitlements.reduce`, wraps `authorizing_integration_owners`, caches `channel`).
 */

/** Discord's default upload limit for a server without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export function apiCommandInteraction(
  world: World,
  record: InteractionRecord,
): APIChatInputApplicationCommandInteraction {
  return record.channel.kind === 'guild'
    ? guildInteraction(world, record, record.channel.guildId)
    : dmInteraction(world, record);
}

function guildInteraction(
  world: World,
  record: InteractionRecord,
  guildId: string,
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...baseInteraction(world, record),
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    member: { ...apiMember(world, record.user.id), permissions: record.permissions.toString() },
    context: InteractionContextType.Guild,
  };
}

function dmInteraction(world: World, record: InteractionRecord): APIChatInputApplicationCommandDMInteraction {
  return { ...baseInteraction(world, record), user: apiUser(record.user), context: InteractionContextType.BotDM };
}

function baseInteraction(
  world: World,
  record: InteractionRecord,
): Omit<APIChatInputApplicationCommandInteraction, 'guild_id' | 'member' | 'user'> {
  return {
    id: record.id,
    application_id: world.applicationId,
    type: InteractionType.ApplicationCommand,
    token: record.token,
    version: 1,
    data: commandData(world, record),
    channel: apiChannel(world, record.channel),
    channel_id: record.channel.id,
    app_permissions: EVERYONE_PERMISSIONS.toString(),
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: authorizingOwners(record),
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

function commandData(world: World, record: InteractionRecord): APIChatInputApplicationCommandInteractionData {
  const resolved = resolvedObjects(world, record);
  return {
    id: record.command.id,
    name: record.command.name,
    type: ApplicationCommandType.ChatInput,
    options: [...record.options],
    ...(resolved === undefined ? {} : { resolved }),
    ...(record.command.guildId === undefined ? {} : { guild_id: record.command.guildId }),
  };
}

/**
 * The users, members and channels that user/channel/mentionable options name, as Discord
 * resolves them; discord.js turns them into `options.getUser()` / `getChannel()` results.
 */
function resolvedObjects(world: World, record: InteractionRecord): APIInteractionDataResolved | undefined {
  const resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'channels'>> = {
    users: {},
    members: {},
    channels: {},
  };
  for (const option of record.options) {
    if (typeof option.value !== 'string') continue;
    if (option.type === ApplicationCommandOptionType.User || option.type === ApplicationCommandOptionType.Mentionable) {
      resolveUser(world, record, option.value, resolved);
    } else if (option.type === ApplicationCommandOptionType.Channel) {
      const channel = world.channels.get(option.value);
      if (channel === undefined) continue;
      const { id, type } = apiChannel(world, channel);
      const name = channel.kind === 'guild' ? channel.name : null;
      resolved.channels[id] = { id, type, name, permissions: record.permissions.toString() };
    }
  }
  const empty = Object.values(resolved).every((map) => Object.keys(map).length === 0);
  return empty ? undefined : resolved;
}

function resolveUser(
  world: World,
  record: InteractionRecord,
  userId: string,
  resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members'>>,
): void {
  const user = world.users.get(userId);
  if (user === undefined) return;
  resolved.users[userId] = apiUser(user);
  if (record.channel.kind === 'guild' && world.members.has(userId)) {
    resolved.members[userId] = {
      ...withoutUser(apiMember(world, userId)),
      permissions: EVERYONE_PERMISSIONS.toString(),
    };
  }
}

/**
 * What POST .../callback?with_response=true answers. Per Discord's docs `resource.message` is
 * there for a message reply (type 4) only; a deferral reports its loading message by id.
 */
export function apiCallbackResponse(
  world: World,
  record: InteractionRecord,
  type: InteractionResponseType,
  message: StoredMessage,
): RESTPostAPIInteractionCallbackWithResponseResult {
  return {
    interaction: {
      id: record.id,
      type: InteractionType.ApplicationCommand,
      response_message_id: message.id,
      response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
      response_message_ephemeral: message.ephemeral,
    },
    resource:
      type === InteractionResponseType.ChannelMessageWithSource
        ? { type, message: apiMessage(world, message) }
        : { type },
  };
}
