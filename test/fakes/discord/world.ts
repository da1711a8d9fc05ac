import { MessageFlags, type ThreadAutoArchiveDuration } from 'discord.js';
import type { APIEmbed, APIMessageTopLevelComponent, APIOverwrite } from 'discord.js';
import type { StoredAttachment } from './attachments.js';
import { CommandRegistry } from './application-commands.js';
import type { InteractionRecord } from './interactions.js';
import { EVERYONE_PERMISSIONS } from './permissions.js';
import { createSnowflakeGenerator, guildSnowflake, type SnowflakeGenerator } from './snowflakes.js';
import type { FakeUser, StoredMessage } from './types.js';

export interface GuildChannelRecord {
  readonly kind: 'guild';
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
  readonly position: number;
  lastMessageId: string | undefined;
  /** Channel permission overwrites (a thread has none: it follows its parent's). */
  readonly permissionOverwrites: APIOverwrite[];
  /** Set for a public thread: the text channel it lives in. */
  readonly threadOf: string | undefined;
  /** The category a text channel is in (see `World.createCategory`). */
  categoryId: string | undefined;
  /** Who opened a thread and when it archives; absent: `humanUser`, one day. */
  readonly threadMeta?: ThreadMeta;
}

export interface ThreadMeta {
  readonly ownerId: string;
  readonly autoArchiveDuration: ThreadAutoArchiveDuration;
}

/** How `World.createThread` opens a thread besides its parent and name. */
export interface NewThread {
  /** Default a new snowflake; a thread started from a message has the message's id. */
  readonly id?: string;
  readonly meta?: ThreadMeta;
}

export interface DmChannelRecord {
  readonly kind: 'dm';
  readonly id: string;
  readonly recipientId: string;
  lastMessageId: string | undefined;
}

export type ChannelRecord = GuildChannelRecord | DmChannelRecord;

export interface GuildRecord {
  readonly id: string;
  readonly name: string;
  /** Its text channels, in position order. */
  readonly channelIds: string[];
  /** The role Discord gives the bot when it joins (managed, with the permissions of its invite). */
  readonly botRoleId: string;
  /** Roles a test created (`createRole`), besides @everyone and the bot's. */
  readonly roleIds: string[];
  /** Channel categories a test created (`createCategory`). */
  readonly categories: { readonly id: string; readonly name: string }[];
}

export interface NewMessage {
  readonly channel: ChannelRecord;
  readonly author: FakeUser;
  readonly content: string;
  readonly embeds?: APIEmbed[];
  readonly components?: APIMessageTopLevelComponent[];
  readonly mentionIds: string[];
  readonly mentionEveryone?: boolean;
  readonly flags?: number;
  readonly createdBody?: unknown;
  readonly referencedMessageId?: string | undefined;
  readonly interactionId?: string;
  readonly attachments?: readonly StoredAttachment[];
}

/**
 * Everything the fake Discord knows: guilds, their channels and members, DMs and messages.
 * Every member (the bot and the human included) belongs to every guild.
 */
export class World {
  readonly ids: SnowflakeGenerator = createSnowflakeGenerator();
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly humanUser: FakeUser;
  /**
   * Owns every guild. Not `humanUser`: discord.js gives an owner every permission, so the usual
   * author of test messages must be an ordinary member.
   */
  readonly ownerUser: FakeUser;
  /** In creation order; guild i is on shard i % n for n shards (see `guildSnowflake`). */
  readonly guilds: readonly GuildRecord[];
  /** The first guild and its channels: what a one-guild test means by "the guild". */
  readonly guildId: string;
  readonly guildChannelIds: string[];
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, FakeUser>();
  /** Guild members and when they joined (ISO), in join order. */
  readonly members = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  /** Every attachment of every message, by id: what the loopback CDN serves. */
  readonly attachments = new Map<string, StoredAttachment>();
  /** Interactions (slash commands, button presses) by id, in dispatch order. */
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commands: CommandRegistry;
  /** People's roles (`giveRole`); role ids are unique across guilds. */
  readonly #roles = new Map<string, string[]>();
  /** What each created role grants (`createRole`). */
  readonly #rolePermissions = new Map<string, bigint>();

  constructor(channelCount: number, guildCount = 1) {
    // Discord gives a bot user the application's id; discord.js does not care, but tests may.
    this.applicationId = this.ids.next();
    this.commands = new CommandRegistry(this.ids, this.applicationId);
    this.botUser = { id: this.applicationId, username: 'streamcord-test', bot: true };
    this.humanUser = { id: this.ids.next(), username: 'alice' };
    if (!Number.isInteger(guildCount) || guildCount < 1) throw new Error('fake-discord: guilds must be at least 1');
    this.guilds = Array.from({ length: guildCount }, (_, index) => this.addGuild(index, channelCount));
    const [first] = this.guilds;
    if (first === undefined) throw new Error('fake-discord: no guild');
    this.guildId = first.id;
    this.guildChannelIds = first.channelIds;
    this.addMember(this.humanUser);
    this.addMember(this.botUser);
    // Made last so that the ids above stay what they were before the owner existed.
    this.ownerUser = this.addMember({ id: this.ids.next(), username: 'owner' });
  }

  /** The guild with this id; throws for an unknown one (a test bug). */
  guild(id: string): GuildRecord {
    const guild = this.guilds.find((candidate) => candidate.id === id);
    if (guild === undefined) throw new Error(`fake-discord: no guild ${id}`);
    return guild;
  }

  hasGuild(id: string): boolean {
    return this.guilds.some((guild) => guild.id === id);
  }

  /** Makes `user` known, so mentions of it resolve; the first record of an id wins. */
  knowUser(user: FakeUser): FakeUser {
    const known = this.users.get(user.id) ?? user;
    this.users.set(user.id, known);
    return known;
  }

  /** Makes `user` known and a member of the guild (silently: no GUILD_MEMBER_ADD). */
  addMember(user: FakeUser): FakeUser {
    const known = this.knowUser(user);
    if (!this.members.has(user.id)) this.members.set(user.id, new Date().toISOString());
    return known;
  }

  /** A member's roles in a guild besides @everyone: the bot has its managed role, people none. */
  memberRoles(guildId: string, userId: string): string[] {
    if (userId === this.botUser.id) return [this.guild(guildId).botRoleId];
    const guildRoles = this.guild(guildId).roleIds;
    return (this.#roles.get(userId) ?? []).filter((id) => guildRoles.includes(id));
  }

  /**
   * A new role in `guildId` granting `permissions` (default @everyone's, so nothing more); the
   * guild's GUILD_CREATE lists it (so create it before the bot starts).
   */
  createRole(guildId: string, permissions: bigint = EVERYONE_PERMISSIONS): string {
    const id = this.ids.next();
    this.guild(guildId).roleIds.push(id);
    this.#rolePermissions.set(id, permissions);
    return id;
  }

  /** What a role made with `createRole` grants. */
  rolePermissions(roleId: string): bigint {
    const permissions = this.#rolePermissions.get(roleId);
    if (permissions === undefined) throw new Error(`fake-discord: no created role ${roleId}`);
    return permissions;
  }

  giveRole(userId: string, roleId: string): void {
    this.#roles.set(userId, [...(this.#roles.get(userId) ?? []), roleId]);
  }

  /** A category holding `channelIds` (text channels of one guild); GUILD_CREATE lists it. */
  createCategory(guildId: string, channelIds: readonly string[], name = 'a category'): string {
    const id = this.ids.next();
    this.guild(guildId).categories.push({ id, name });
    for (const channelId of channelIds) {
      const channel = this.channels.get(channelId);
      if (channel?.kind !== 'guild' || channel.threadOf !== undefined || channel.guildId !== guildId) {
        throw new Error(`fake-discord: ${channelId} is not a text channel of guild ${guildId}`);
      }
      channel.categoryId = id;
    }
    return id;
  }

  /** Opens a public thread in text channel `parentId`; the bot joins it at once. */
  createThread(parentId: string, name: string, options: NewThread = {}): GuildChannelRecord {
    const parent = this.channels.get(parentId);
    if (parent?.kind !== 'guild' || parent.threadOf !== undefined) {
      throw new Error(`fake-discord: ${parentId} is not a guild text channel`);
    }
    const thread: GuildChannelRecord = {
      kind: 'guild',
      id: options.id ?? this.ids.next(),
      guildId: parent.guildId,
      name,
      position: 0,
      lastMessageId: undefined,
      permissionOverwrites: [],
      threadOf: parent.id,
      categoryId: undefined,
      ...(options.meta === undefined ? {} : { threadMeta: options.meta }),
    };
    this.channels.set(thread.id, thread);
    return thread;
  }

  /** The DM channel between the bot and `userId`, opened on first use like Discord does. */
  dmChannelFor(userId: string): DmChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.kind === 'dm' && channel.recipientId === userId) return channel;
    }
    const channel: DmChannelRecord = { kind: 'dm', id: this.ids.next(), recipientId: userId, lastMessageId: undefined };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** `guildId`'s text channels, in position order. */
  guildChannels(guildId: string): GuildChannelRecord[] {
    return [...this.channels.values()].filter(
      (c): c is GuildChannelRecord => c.kind === 'guild' && c.guildId === guildId && c.threadOf === undefined,
    );
  }

  /** `guildId`'s threads, oldest first. */
  guildThreads(guildId: string): GuildChannelRecord[] {
    return [...this.channels.values()].filter(
      (c): c is GuildChannelRecord => c.kind === 'guild' && c.guildId === guildId && c.threadOf !== undefined,
    );
  }

  /**
   * A live (not deleted) message in `channelId`, as channel routes see it: ephemeral messages
   * are reachable only through their interaction's webhook, as on Discord.
   */
  liveMessage(channelId: string, messageId: string): StoredMessage | undefined {
    const message = this.messages.get(messageId);
    if (message === undefined || message.deleted || message.ephemeral || message.channelId !== channelId) {
      return undefined;
    }
    return message;
  }

  createMessage(init: NewMessage): StoredMessage {
    const flags = init.flags ?? 0;
    const message: StoredMessage = {
      id: this.ids.next(),
      channelId: init.channel.id,
      guildId: init.channel.kind === 'guild' ? init.channel.guildId : undefined,
      authorId: init.author.id,
      author: init.author,
      content: init.content,
      contents: [init.content],
      editCount: 0,
      deleted: false,
      embeds: init.embeds ?? [],
      components: init.components ?? [],
      mentionIds: init.mentionIds,
      mentionEveryone: init.mentionEveryone ?? false,
      flags,
      createdBody: init.createdBody,
      lastEditBody: undefined,
      referencedMessageId: init.referencedMessageId,
      attachments: init.attachments ?? [],
      createdAt: Date.now(),
      editedAt: undefined,
      interactionId: init.interactionId,
      ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    };
    this.messages.set(message.id, message);
    for (const attachment of message.attachments) this.attachments.set(attachment.id, attachment);
    // Nobody else sees an ephemeral message, so it is not the channel's last message either.
    if (!message.ephemeral) init.channel.lastMessageId = message.id;
    return message;
  }

  private addGuild(index: number, channelCount: number): GuildRecord {
    const guild: GuildRecord = {
      id: guildSnowflake(index),
      name: index === 0 ? 'Fake Guild' : `Fake Guild ${index + 1}`,
      channelIds: [],
      botRoleId: this.ids.next(),
      roleIds: [],
      categories: [],
    };
    for (let position = 0; position < channelCount; position += 1) {
      const channel: GuildChannelRecord = {
        kind: 'guild',
        id: this.ids.next(),
        guildId: guild.id,
        name: position === 0 ? 'general' : `chat-${position + 1}`,
        position,
        lastMessageId: undefined,
        permissionOverwrites: [],
        threadOf: undefined,
        categoryId: undefined,
      };
      this.channels.set(channel.id, channel);
      guild.channelIds.push(channel.id);
    }
    return guild;
  }
}

/** A frozen copy for events, so listeners see the message as it was when the event fired. */
export function snapshot(message: StoredMessage): Readonly<StoredMessage> {
  return Object.freeze({ ...message, contents: [...message.contents], mentionIds: [...message.mentionIds] });
}
