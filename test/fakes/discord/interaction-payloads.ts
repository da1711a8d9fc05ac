import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
} from 'discord.js';
import type {
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIBaseInteraction,
  APIChatInputApplicationCommandDMInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIChatInputApplicationCommandInteraction,
  APIChatInputApplicationCommandInteractionData,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessageComponentButtonInteraction,
  APIPartialInteractionGuild,
  APIUser,
  RESTAPIInteractionCallbackObject,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';
import { apiAttachment } from './attachments.js';
import type { ButtonTrigger, CommandTrigger, InteractionRecord } from './interactions.js';
import {
  apiChannel,
  apiMember,
  apiMessage,
  apiUser,
  authorizingOwners,
  EVERYONE_PERMISSIONS,
  withoutUser,
} from './payloads.js';
import { botPermissionsIn, memberPermissions } from './permissions.js';
import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/**
 * INTERACTION_CREATE for a slash command or a button press, and the callback's `with_response`
 * answer, typed against discord-api-types. discord.js reads more of the interaction than the
 * types require (it calls `entitlements.reduce`, wraps `authorizing_integration_owners`, caches
 * `channel`, and builds a button's `interaction.message` from `message`).
 */

/** Discord's default upload limit for a server without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export function apiCommandInteraction(
  world: World,
  record: InteractionRecord<CommandTrigger>,
): APIChatInputApplicationCommandInteraction {
  const command = {
    ...envelope(world, record),
    type: InteractionType.ApplicationCommand,
    data: commandData(world, record),
  } as const;
  return record.channel.kind === 'guild'
    ? ({
        ...command,
        ...guildOrigin(world, record, record.channel.guildId),
      } satisfies APIChatInputApplicationCommandGuildInteraction)
    : ({ ...command, ...dmOrigin(record) } satisfies APIChatInputApplicationCommandDMInteraction);
}

/** A button press: the pressed button's custom_id, and the whole message it is on. */
export function apiButtonInteraction(
  world: World,
  record: InteractionRecord<ButtonTrigger>,
  message: StoredMessage,
): APIMessageComponentButtonInteraction {
  const press = {
    ...envelope(world, record),
    type: InteractionType.MessageComponent,
    data: { custom_id: record.trigger.customId, component_type: ComponentType.Button },
    message: apiMessage(world, message),
  } as const;
  return record.channel.kind === 'guild'
    ? { ...press, ...guildOrigin(world, record, record.channel.guildId) }
    : { ...press, ...dmOrigin(record) };
}

type Envelope = Required<
  Pick<
    APIBaseInteraction<InteractionType, unknown>,
    | 'id'
    | 'application_id'
    | 'token'
    | 'version'
    | 'channel'
    | 'channel_id'
    | 'app_permissions'
    | 'locale'
    | 'entitlements'
    | 'authorizing_integration_owners'
    | 'attachment_size_limit'
  >
>;

/** What every interaction carries whatever started it. */
function envelope(world: World, record: InteractionRecord): Envelope {
  return {
    id: record.id,
    application_id: world.applicationId,
    token: record.token,
    version: 1,
    channel: apiChannel(world, record.channel),
    channel_id: record.channel.id,
    // What the bot may do in the channel, as Discord computes it for every interaction.
    app_permissions: (record.channel.kind === 'guild'
      ? botPermissionsIn(world, record.channel)
      : EVERYONE_PERMISSIONS
    ).toString(),
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: authorizingOwners(record),
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

interface GuildOrigin {
  readonly guild_id: string;
  readonly guild: APIPartialInteractionGuild;
  readonly guild_locale: Locale;
  readonly member: APIInteractionGuildMember;
  readonly context: InteractionContextType.Guild;
}

/** In a guild the user comes as a member, with their permissions in the channel. */
function guildOrigin(world: World, record: InteractionRecord, guildId: string): GuildOrigin {
  return {
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    member: { ...apiMember(world, record.user.id, guildId), permissions: record.permissions.toString() },
    context: InteractionContextType.Guild,
  };
}

function dmOrigin(record: InteractionRecord): {
  readonly user: APIUser;
  readonly context: InteractionContextType.BotDM;
} {
  return { user: apiUser(record.user), context: InteractionContextType.BotDM };
}

function commandData(
  world: World,
  record: InteractionRecord<CommandTrigger>,
): APIChatInputApplicationCommandInteractionData {
  const resolved = resolvedObjects(world, record);
  const { command, options } = record.trigger;
  return {
    id: command.id,
    name: command.name,
    type: ApplicationCommandType.ChatInput,
    options: [...options],
    ...(resolved === undefined ? {} : { resolved }),
    ...(command.guildId === undefined ? {} : { guild_id: command.guildId }),
  };
}

/**
 * The users, members and channels that user/channel/mentionable options name, as Discord
 * resolves them; discord.js turns them into `options.getUser()` / `getChannel()` results.
 */
function resolvedObjects(
  world: World,
  record: InteractionRecord<CommandTrigger>,
): APIInteractionDataResolved | undefined {
  const resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'channels' | 'attachments'>> = {
    users: {},
    members: {},
    channels: {},
    attachments: {},
  };
  for (const option of valueOptions(record.trigger.options)) {
    if (typeof option.value !== 'string') continue;
    if (option.type === ApplicationCommandOptionType.User || option.type === ApplicationCommandOptionType.Mentionable) {
      resolveUser(world, record, option.value, resolved);
    } else if (option.type === ApplicationCommandOptionType.Channel) {
      const channel = world.channels.get(option.value);
      if (channel === undefined) continue;
      const { id, type } = apiChannel(world, channel);
      const name = channel.kind === 'guild' ? channel.name : null;
      resolved.channels[id] = { id, type, name, permissions: record.permissions.toString() };
    } else if (option.type === ApplicationCommandOptionType.Attachment) {
      // A file uploaded with the command (`FakeDiscord.uploadForCommand`), served by the loopback CDN.
      const attachment = world.attachments.get(option.value);
      if (attachment !== undefined) resolved.attachments[attachment.id] = apiAttachment(attachment);
    }
  }
  const empty = Object.values(resolved).every((map) => Object.keys(map).length === 0);
  return empty ? undefined : resolved;
}

/** The values under whatever subcommand and group the options name. */
function valueOptions(
  options: readonly APIApplicationCommandInteractionDataOption[],
): APIApplicationCommandInteractionDataBasicOption[] {
  return options.flatMap((option) =>
    option.type === ApplicationCommandOptionType.Subcommand ||
    option.type === ApplicationCommandOptionType.SubcommandGroup
      ? valueOptions(option.options ?? [])
      : [option],
  );
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
      ...withoutUser(apiMember(world, userId, record.channel.guildId)),
      permissions: memberPermissions(world, record.channel.guildId, userId).toString(),
    };
  }
}

/**
 * What POST .../callback?with_response=true answers. Per Discord's docs `resource.message` is
 * there for a reply (4) or an update (7) only; a deferral reports its loading message by id, and
 * a deferred update (6) names no message.
 */
export function apiCallbackResponse(
  world: World,
  record: InteractionRecord,
  type: InteractionResponseType,
  message: StoredMessage,
): RESTPostAPIInteractionCallbackWithResponseResult {
  const withMessage =
    type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage;
  return {
    interaction: callbackObject(record, type, message),
    resource: withMessage ? { type, message: apiMessage(world, message) } : { type },
  };
}

function callbackObject(
  record: InteractionRecord,
  type: InteractionResponseType,
  message: StoredMessage,
): RESTAPIInteractionCallbackObject {
  const interactionType =
    record.trigger.kind === 'command' ? InteractionType.ApplicationCommand : InteractionType.MessageComponent;
  if (type === InteractionResponseType.DeferredMessageUpdate) return { id: record.id, type: interactionType };
  return {
    id: record.id,
    type: interactionType,
    response_message_id: message.id,
    response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
    response_message_ephemeral: message.ephemeral,
  };
}
