import type {
  APIApplicationCommand,
  APIEmbed,
  APIMessageTopLevelComponent,
  ApplicationCommandOptionType,
} from 'discord.js';
import type { StoredAttachment } from './attachments.js';
import type { CdnRequest } from './cdn.js';
import type { BucketConfig, BucketName } from './rate-limits.js';
import type { RouteDefinition } from './router.js';

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly bot?: boolean;
}

export interface FakeDiscordOptions {
  /**
   * Rate limits: message create and edit per channel (default 5 per 5000 ms each), interaction
   * webhook routes per interaction token (default 5 per 2000 ms).
   */
  readonly buckets?: Partial<Record<BucketName, BucketConfig>>;
  /** Requests per second across all routes before a global 429 (default 50). */
  readonly globalLimitPerSecond?: number;
  /** Delay before each REST response is written (default 0); changeable later via `latencyMs`. */
  readonly latencyMs?: number;
  /** Number of guild text channels in each guild (default 3). */
  readonly channels?: number;
  /**
   * Number of guilds (default 1), each with `channels` text channels; every member belongs to
   * all of them. Guild i is on shard i % n for n ≤ 16 shards, so with 2 shards the first two
   * guilds are on different shards.
   */
  readonly guilds?: number;
  /**
   * What GET /gateway/bot recommends as `shards` (default 1). Sessions that IDENTIFY with
   * `shard: [id, count]` get only their shard's guilds and events, whatever this says.
   */
  readonly shards?: number;
  /** If set, REST and IDENTIFY must present exactly this token; otherwise any token is accepted. */
  readonly token?: string;
  /** HELLO's heartbeat_interval (default 41250, Discord's usual value). */
  readonly heartbeatIntervalMs?: number;
  /**
   * Extra routes, matched before the built-in ones: a test can add an endpoint or override one,
   * e.g. make PATCH /channels/:channelId/messages/:messageId answer 500.
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * How long after `runCommand` / `pressButton` the first response (callback) is accepted
   * (default 3000, as on Discord); later ones get 10062. 0 makes every callback late.
   * Changeable on the fake.
   */
  readonly interactionAckTimeoutMs?: number;
  /**
   * How long after `runCommand` / `pressButton` the interaction token works for webhook routes
   * (default 15 min); later requests get 401 / 50027. Changeable on the fake; see also
   * `expireInteraction`.
   */
  readonly interactionTokenTtlMs?: number;
}

/** One option value of a slash command as the user filled it in. */
export interface CommandOptionBasicValue {
  readonly name: string;
  /** A basic option type: String, Integer, Boolean, User, Channel, Role, Mentionable, Number. */
  readonly type: ApplicationCommandOptionType;
  readonly value: string | number | boolean;
}

/**
 * The subcommand (type 1) or group (type 2) the user picked, nested as Discord sends it: a
 * subcommand carries its values (none: omit `options`), a group its one subcommand, and either is
 * the only option at its level. `/config access add id:42` is
 * `{ name: 'access', type: SubcommandGroup, options: [{ name: 'add', type: Subcommand, options: [{ name: 'id', type: String, value: '42' }] }] }`.
 */
export interface CommandOptionNested {
  readonly name: string;
  readonly type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup;
  readonly options?: readonly CommandOptionValue[];
}

/** What `runCommand` takes as options: values, or the one subcommand or group with its own. */
export type CommandOptionValue = CommandOptionBasicValue | CommandOptionNested;

export interface RunCommandOptions {
  /** The command name; the payload uses the registered command's id when one has this name. */
  readonly name: string;
  readonly options?: readonly CommandOptionValue[];
  /** A guild text channel (default the first); with `dm`, omit it or pass the user's DM channel. */
  readonly channelId?: string;
  /** Run in the user's DM with the bot instead of a guild channel. */
  readonly dm?: boolean;
  /** Defaults to `humanUser`; in a guild a new user silently becomes a member. */
  readonly user?: FakeUser;
  /**
   * The member's permission bits in the channel (`member.permissions`). Default: the member's own,
   * what @everyone has in the fake guild (view, send, history, embeds… no moderation bits such as
   * ManageMessages or ManageGuild) plus what their roles grant (`createRole`); every bit for
   * `ownerUser`.
   */
  readonly permissions?: bigint;
  /** Only the connected session with this index (identify order) gets the INTERACTION_CREATE. */
  readonly session?: number;
}

export interface PressButtonOptions {
  /** A live message (the bot's) that has the button now. */
  readonly messageId: string;
  readonly customId: string;
  /**
   * Who presses. Default: `humanUser`, or whoever alone can see the message (the DM's recipient,
   * an ephemeral response's user); anyone else throws. In a guild a new user silently joins.
   */
  readonly user?: FakeUser;
  /** The member's permission bits in the channel, as for `runCommand` (default the member's own). */
  readonly permissions?: bigint;
  /** Only the connected session with this index (identify order) gets the INTERACTION_CREATE. */
  readonly session?: number;
}

/** What every interaction the fake dispatched has: enough to find its requests and messages. */
interface FakeInteractionBase {
  readonly id: string;
  readonly token: string;
  readonly channelId: string;
  /** Undefined for DM interactions. */
  readonly guildId: string | undefined;
  readonly userId: string;
  /** performance.now() right before INTERACTION_CREATE went out. */
  readonly dispatchedAt: number;
}

/** What `runCommand` returns. */
export interface FakeCommandInteraction extends FakeInteractionBase {
  readonly kind: 'command';
  readonly commandName: string;
}

/** What `pressButton` returns. */
export interface FakeButtonInteraction extends FakeInteractionBase {
  readonly kind: 'button';
  readonly customId: string;
  /** The message the button is on. */
  readonly messageId: string;
}

export type FakeInteraction = FakeCommandInteraction | FakeButtonInteraction;

export interface InteractionCallbackEvent {
  readonly interactionId: string;
  /**
   * The InteractionResponseType: 4 reply, 5 deferred reply; for a button also 6 deferred update
   * (no visible change) and 7 update (the button's message edited).
   */
  readonly type: number;
  /**
   * The flags of the message the callback created (64 ephemeral, 128 loading); for 6 and 7 those
   * of the button's message.
   */
  readonly flags: number;
  /** performance.now() when the callback was accepted. */
  readonly at: number;
  readonly elapsedMs: number;
}

/** A thread the bot started from a message (POST /channels/:id/messages/:id/threads). */
export interface ThreadCreatedEvent {
  /** The starter message's id, as on Discord. */
  readonly threadId: string;
  readonly parentId: string;
  readonly messageId: string;
  readonly name: string;
  /** Minutes: 60, 1440, 4320 or 10080 (default 1440). */
  readonly autoArchiveDuration: number;
  /** performance.now() when the thread was created. */
  readonly at: number;
}

export interface CommandsRegisteredEvent {
  /** Undefined for global commands. */
  readonly guildId: string | undefined;
  readonly commands: readonly APIApplicationCommand[];
}

/**
 * A message as the fake stores it. `messages` holds the live record (it changes on edit and
 * delete); events carry frozen snapshots taken when the event happened.
 */
export interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  /** Undefined for DMs. */
  readonly guildId: string | undefined;
  readonly authorId: string;
  readonly author: FakeUser;
  content: string;
  /** Every content the message had, oldest first: [original, after edit 1, ...]. */
  contents: string[];
  editCount: number;
  deleted: boolean;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  /** Users the message mentions after allowed_mentions was applied (what Discord would ping). */
  mentionIds: string[];
  mentionEveryone: boolean;
  flags: number;
  /** The JSON body of the creating POST; undefined for messages injected with userSays/dmSays. */
  readonly createdBody: unknown;
  /** The JSON body of the latest PATCH, if any. */
  lastEditBody: unknown;
  /** Set when the message is a reply. */
  readonly referencedMessageId: string | undefined;
  /** Files a user attached (`userSays` / `dmSays`), served by the loopback CDN. */
  readonly attachments: readonly StoredAttachment[];
  /** Date.now() at creation and at the latest edit. */
  readonly createdAt: number;
  editedAt: number | undefined;
  /** Set for interaction responses and follow-ups (they carry `interaction_metadata` and `webhook_id`). */
  readonly interactionId: string | undefined;
  /** Flag 64: only the interaction's user sees it, so it is never dispatched over the gateway. */
  readonly ephemeral: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path below the API version, e.g. '/channels/123/messages'; the full path if none matched. */
  readonly path: string;
  readonly query: string;
  /** The route table entry, e.g. 'PATCH /channels/:id/messages/:id'; undefined for unknown routes. */
  readonly route: string | undefined;
  readonly channelId: string | undefined;
  /** Parsed JSON, or undefined when there was no (JSON) body. */
  readonly body: unknown;
  readonly status: number;
  /** The headers the fake sent back (rate-limit headers included). */
  readonly headers: Readonly<Record<string, string>>;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly responseBody: unknown;
  /** performance.now() when the request arrived and when its response was written. */
  readonly at: number;
  readonly respondedAt: number;
}

export interface IdentifyInfo {
  /** Identify order, from 0: what the `session` options and `sessions()` call it. */
  readonly index: number;
  readonly sessionId: string;
  readonly token: string;
  readonly intents: number;
  readonly shard: readonly [number, number] | undefined;
  readonly properties: unknown;
}

/** A connected gateway session that has identified, as `sessions()` lists it. */
export interface GatewaySession {
  /** Identify order, from 0: what the `session` options name. */
  readonly index: number;
  readonly sessionId: string;
  /** IDENTIFY's [shard_id, num_shards]; undefined when it sent none (it then gets every event). */
  readonly shard: readonly [number, number] | undefined;
}

export interface GatewayCloseEvent {
  /** Undefined when the connection closed before it identified. */
  readonly index: number | undefined;
  readonly sessionId: string | undefined;
  readonly shard: readonly [number, number] | undefined;
  /** The websocket close code: 1000 for a clean close by the client, 1006 when it just vanished. */
  readonly code: number;
  /** Gateway connections still open after this one closed. */
  readonly connections: number;
}

export interface GatewayOpenEvent {
  /** Gateway connections open now, this one included. */
  readonly connections: number;
  readonly held: boolean;
}

/** Events of `FakeDiscord.events`; every event has exactly one argument. */
export interface FakeDiscordEvents {
  /** After a REST response was written (and recorded). */
  request: [RecordedRequest];
  /** After a 429 was written. */
  rateLimited: [RecordedRequest];
  /** A message was created, by REST or by userSays/dmSays. */
  messageCreate: [Readonly<StoredMessage>];
  messageUpdate: [Readonly<StoredMessage>];
  messageDelete: [Readonly<StoredMessage>];
  /** A gateway client identified (READY and its guilds' GUILD_CREATEs are sent right before). */
  identify: [IdentifyInfo];
  /** A gateway connection closed, identified or not. */
  gatewayClose: [GatewayCloseEvent];
  /** A gateway connection opened; `held` when it waits for HELLO (see `holdGateway`). */
  gatewayOpen: [GatewayOpenEvent];
  /** An interaction's first response was accepted (rejected callbacks show up as `request` only). */
  interactionCallback: [InteractionCallbackEvent];
  /** A PUT replaced the global (guildId undefined) or a guild's command set. */
  commandsRegistered: [CommandsRegisteredEvent];
  /** The bot started a thread from a message (THREAD_CREATE went out right before). */
  threadCreate: [ThreadCreatedEvent];
  /** The loopback CDN got a download request (recorded in `cdnRequests` before). */
  cdnRequest: [CdnRequest];
}

export type FakeDiscordEventName = keyof FakeDiscordEvents;
