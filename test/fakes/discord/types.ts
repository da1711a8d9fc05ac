import type { APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import type { BucketConfig, BucketName } from './rate-limits.js';
import type { RouteDefinition } from './router.js';

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly bot?: boolean;
}

export interface FakeDiscordOptions {
  /** Per-channel rate limits of message create and edit; each defaults to 5 per 5000 ms. */
  readonly buckets?: Partial<Record<BucketName, BucketConfig>>;
  /** Requests per second across all routes before a global 429 (default 50). */
  readonly globalLimitPerSecond?: number;
  /** Delay before each REST response is written (default 0); changeable later via `latencyMs`. */
  readonly latencyMs?: number;
  /** Number of guild text channels (default 3). */
  readonly channels?: number;
  /** If set, REST and IDENTIFY must present exactly this token; otherwise any token is accepted. */
  readonly token?: string;
  /** HELLO's heartbeat_interval (default 41250, Discord's usual value). */
  readonly heartbeatIntervalMs?: number;
  /**
   * Extra routes, matched before the built-in ones: a test can add an endpoint or override one,
   * e.g. make PATCH /channels/:channelId/messages/:messageId answer 500.
   */
  readonly routes?: readonly RouteDefinition[];
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
  /** Date.now() at creation and at the latest edit. */
  readonly createdAt: number;
  editedAt: number | undefined;
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
  readonly sessionId: string;
  readonly token: string;
  readonly intents: number;
  readonly shard: readonly [number, number] | undefined;
  readonly properties: unknown;
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
  /** A gateway client identified (READY and GUILD_CREATE are sent right after). */
  identify: [IdentifyInfo];
}

export type FakeDiscordEventName = keyof FakeDiscordEvents;
