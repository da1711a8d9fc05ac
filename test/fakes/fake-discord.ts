/**
 * A loopback fake of Discord for end-to-end tests of the bot with the real discord.js client:
 * REST under `apiUrl` (pass it as `rest: { api }`), a gateway whose URL GET /gateway/bot hands
 * out, guilds (one by default) with text channels, a human member and a DM channel. It enforces
 * Discord's message validation and per-channel rate limits with real headers, records every
 * request, and echoes the bot's own messages over the gateway as Discord does.
 *
 *   const fake = await startFakeDiscord({ buckets: { channelMessages: { limit: 2, windowMs: 300 } } });
 *   const client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl } });
 *   await client.login('test-token');            // any token unless options.token is set
 *   fake.userSays({ content: `<@${fake.botUser.id}> hi` });
 *   await fake.waitFor('messageCreate', (m) => m.authorId === fake.botUser.id);
 *   await client.destroy(); await fake.close();   // in afterEach, client first
 *
 * Interactions: `runCommand({ name, options })` runs a slash command (options may nest a
 * subcommand or group, as Discord sends them) and
 * `pressButton({ messageId, customId })` presses a button that is on a message now (`buttonsOf`);
 * both dispatch INTERACTION_CREATE. The callback and interaction-webhook routes enforce
 * Discord's 3 s / 15 min clocks (`interactionAckTimeoutMs`, `interactionTokenTtlMs`,
 * `expireInteraction`) and store responses as messages (`interactionMessages`); a button's
 * interaction may also deferUpdate (6) or update (7) the message it is on.
 * PUT/GET .../commands register and list commands (`registeredCommands`, `commandRequests` counts them).
 *
 * Permissions: the bot has @everyone and its managed role in every guild, and discord.js computes
 * its permissions from GUILD_CREATE as on Discord. `humanUser` is an ordinary member; `ownerUser`
 * owns the guilds (every permission); `createRole(users, guildId, permissions)` grants more. `denyBot(channelId, bits)` takes bits away in a
 * channel (CHANNEL_UPDATE follows) and REST then refuses posts there (50013 / 50001 / 160002);
 * `createThread(parentId)` opens a thread that follows its parent's permissions.
 *
 * Shards: with `guilds: 2, shards: 2` the two guilds are on different shards; a client that
 * identifies with `shard: [id, count]` gets READY / GUILD_CREATE for its shard's guilds only, and
 * guild events only for them (DMs go to shard 0), as on Discord. `userSays`, `dmSays`,
 * `runCommand` and `pressButton` take `session` (an index in `sessions()`) to hand one dispatch
 * to one session only, e.g. to model two processes that see different events of a channel.
 *
 * Attachments: `userSays` / `dmSays` take `attachments` (filename, contentType, data, a lying
 * `size`, a misbehaving `serve`); their `url` and `proxy_url` point at a CDN on this same server,
 * `http://127.0.0.1:<port>/attachments/<channel>/<id>/<filename>?ex=…&is=…&hm=…` (`cdnOrigin`; the
 * host is `apiUrl`'s), and `cdnRequests` records every download.
 *
 * Intents: a client that identifies without MessageContent gets guild messages that do not mention
 * the bot with empty content, embeds, attachments and components, as on Discord; DMs and the bot's
 * own messages keep theirs, in threads as in channels.
 *
 * Threads: the bot's POST /channels/:id/messages/:id/threads (discord.js `message.startThread`)
 * opens a public thread whose id is the message's, sends THREAD_CREATE and records it in
 * `threadsCreated`; users then write there with `userSays({ channelId: threadId })`.
 *
 * Outages: `dropSession(index)` closes a session's connection (code 4000, as when a gateway node goes
 * away) and discord.js reconnects; after `holdGateway()` a new connection gets no HELLO until
 * `releaseGateway()`, so a test sees the client between connections for as long as it needs.
 */
import { waitForEvent } from './wait-for-event.js';
import type { WaitForOptions } from './wait-for-event.js';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { GatewayDispatchEvents, type APIApplicationCommand } from 'discord.js';
import type { CommandRequestCounts } from './discord/application-commands.js';
import { storeAttachments, type FakeAttachmentInput, type StoredAttachment } from './discord/attachments.js';
import { Cdn, type CdnRequest } from './discord/cdn.js';
import { COMMAND_ROUTES } from './discord/command-routes.js';
import { Gateway, GATEWAY_PATH, type Audience } from './discord/gateway.js';
import { createButtonInteraction } from './discord/button-interactions.js';
import { apiButtonInteraction, apiCommandInteraction } from './discord/interaction-payloads.js';
import { INTERACTION_ROUTES } from './discord/interaction-routes.js';
import {
  createCommandInteraction,
  DEFAULT_INTERACTION_TIMEOUTS,
  interactionMessages,
  publicInteraction,
  type InteractionRecord,
} from './discord/interactions.js';
import { userMentionsIn } from './discord/mentions.js';
import { buttonsIn } from './discord/message-components.js';
import { messageDeleteFor, messageEventFor } from './discord/message-dispatch.js';
import { DEFAULT_BUCKETS, DEFAULT_GLOBAL_LIMIT_PER_SECOND, RateLimiter } from './discord/rate-limits.js';
import { ROUTES } from './discord/rest-routes.js';
import { RestServer } from './discord/rest-server.js';
import { THREAD_ROUTES } from './discord/thread-routes.js';
import { Router, type RouteServices } from './discord/router.js';
import type {
  FakeButtonInteraction,
  FakeCommandInteraction,
  FakeDiscordEventName,
  FakeDiscordEvents,
  FakeDiscordOptions,
  FakeUser,
  GatewayCloseEvent,
  GatewayOpenEvent,
  GatewaySession,
  IdentifyInfo,
  PressButtonOptions,
  RecordedRequest,
  RunCommandOptions,
  StoredMessage,
  ThreadCreatedEvent,
} from './discord/types.js';
import { apiChannel } from './discord/payloads.js';
import { botPermissionsIn, denyBot, restoreBot } from './discord/permissions.js';
import { snapshot, World, type ChannelRecord, type GuildChannelRecord } from './discord/world.js';

export type { CommandRequestCounts } from './discord/application-commands.js';
export type { AttachmentServe, FakeAttachmentInput } from './discord/attachments.js';
export type { CdnRequest } from './discord/cdn.js';
export { DiscordHttpError } from './discord/errors.js';
export type { BucketConfig, BucketName } from './discord/rate-limits.js';
export type { RouteContext, RouteDefinition, RouteResponse, RouteServices } from './discord/router.js';
export type {
  CommandOptionBasicValue,
  CommandOptionNested,
  CommandOptionValue,
  CommandsRegisteredEvent,
  FakeButtonInteraction,
  FakeCommandInteraction,
  FakeDiscordEventName,
  FakeDiscordEvents,
  FakeDiscordOptions,
  FakeInteraction,
  FakeUser,
  GatewayCloseEvent,
  GatewayOpenEvent,
  GatewaySession,
  IdentifyInfo,
  InteractionCallbackEvent,
  PressButtonOptions,
  RecordedRequest,
  RunCommandOptions,
  StoredMessage,
  ThreadCreatedEvent,
} from './discord/types.js';
export { shardOfGuild } from './discord/shards.js';

export interface UserSaysOptions {
  /**
   * A guild text channel or thread; defaults to the first channel when omitted. `undefined` is accepted by the
   * type so `channelIds[i]` can be passed as is, but throws at run time: an index past the end
   * must not fall back to channel 0 unnoticed.
   */
  readonly channelId?: string | undefined;
  readonly content: string;
  /**
   * Default true: the bot is put in `mentions` (the content should then contain `<@botId>`).
   * false keeps the bot out even if the content names it. Other `<@id>` of known users count.
   */
  readonly mentionBot?: boolean;
  /** Defaults to `humanUser`; a new author silently becomes a guild member. */
  readonly author?: FakeUser;
  /**
   * A Discord reply to this message (`message_reference`, and `referenced_message` nested in the
   * payload while it is live). Replying pings its author on Discord: to the bot's message, leave
   * `mentionBot` at its default so the bot is in `mentions`, as with the reply ping on.
   */
  readonly replyTo?: string | undefined;
  /** Files on the message, served by the loopback CDN (see `FakeAttachmentInput`). */
  readonly attachments?: readonly FakeAttachmentInput[];
  /** Only the connected session with this index (identify order) gets the MESSAGE_CREATE. */
  readonly session?: number;
}

export interface DmSaysOptions {
  readonly content: string;
  /** Defaults to `humanUser`; each author has their own DM channel with the bot. */
  readonly author?: FakeUser;
  /** A Discord reply to this message of the DM channel, as for `userSays`. */
  readonly replyTo?: string | undefined;
  /** Files on the message, served by the loopback CDN (see `FakeAttachmentInput`). */
  readonly attachments?: readonly FakeAttachmentInput[];
  /** Only the connected session with this index (identify order) gets the MESSAGE_CREATE. */
  readonly session?: number;
}

export type { WaitForOptions } from './wait-for-event.js';

type EventValue<E extends FakeDiscordEventName> = FakeDiscordEvents[E][0];

/** A loopback Discord: REST under `apiUrl`, gateway at `gatewayUrl`, guilds, one human. */
export class FakeDiscord {
  readonly events = new EventEmitter<FakeDiscordEvents>();
  /** Changeable at any time; applies to responses not yet scheduled. */
  latencyMs: number;
  /** How long after dispatch an interaction accepts its first response; changeable at any time. */
  interactionAckTimeoutMs: number;
  /** How long after dispatch an interaction token works for webhook routes; changeable at any time. */
  interactionTokenTtlMs: number;

  readonly #world: World;
  readonly #http: Server;
  readonly #gateway: Gateway;
  readonly #rest: RestServer;
  readonly #requests: RecordedRequest[] = [];
  readonly #cdn: Cdn;
  readonly #cdnRequests: CdnRequest[] = [];
  readonly #threadsCreated: ThreadCreatedEvent[] = [];
  readonly #closing = new AbortController();
  #rateLimitCount = 0;
  #closed: Promise<void> | undefined;

  private constructor(options: FakeDiscordOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.interactionAckTimeoutMs = options.interactionAckTimeoutMs ?? DEFAULT_INTERACTION_TIMEOUTS.ackTimeoutMs;
    this.interactionTokenTtlMs = options.interactionTokenTtlMs ?? DEFAULT_INTERACTION_TIMEOUTS.tokenTtlMs;
    this.#world = new World(options.channels ?? 3, options.guilds ?? 1);
    this.#world.dmChannelFor(this.#world.humanUser.id);
    this.#http = createServer();
    const gatewayUrl = (): string => this.gatewayUrl;
    this.#gateway = new Gateway({
      world: this.#world,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      token: options.token,
      gatewayUrl,
      onIdentify: (info: IdentifyInfo) => this.events.emit('identify', info),
      onClose: (event: GatewayCloseEvent) => this.events.emit('gatewayClose', event),
      onOpen: (event: GatewayOpenEvent) => this.events.emit('gatewayOpen', event),
    });
    this.#rest = new RestServer({
      router: new Router([
        ...(options.routes ?? []),
        ...ROUTES,
        ...THREAD_ROUTES,
        ...INTERACTION_ROUTES,
        ...COMMAND_ROUTES,
      ]),
      services: this.#services(gatewayUrl, options.shards ?? 1),
      limiter: new RateLimiter(
        { ...DEFAULT_BUCKETS, ...options.buckets },
        options.globalLimitPerSecond ?? DEFAULT_GLOBAL_LIMIT_PER_SECOND,
      ),
      token: options.token,
      latencyMs: () => this.latencyMs,
      onResponse: (request) => this.#recordResponse(request),
    });
    this.#cdn = new Cdn(
      (id) => this.#world.attachments.get(id),
      (request) => {
        this.#cdnRequests.push(request);
        this.events.emit('cdnRequest', request);
      },
    );
    this.#http.on('request', (req, res) => {
      if (this.#cdn.handles(req)) {
        this.#cdn.serve(req, res);
        return;
      }
      this.#rest.handle(req, res).catch((error: unknown) => {
        // Only a broken socket gets here; the test sees it as a failed request on its side.
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.#http.on('upgrade', (req, socket, head) => this.#gateway.handleUpgrade(req, socket, head));
  }

  /** Starts a fake on 127.0.0.1 with an OS-chosen port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      fake.#http.once('error', reject);
      fake.#http.listen(0, '127.0.0.1', () => {
        fake.#http.off('error', reject);
        resolve();
      });
    });
    return fake;
  }

  get port(): number {
    const address = this.#http.address();
    if (address === null || typeof address === 'string') throw new Error('fake-discord: not listening');
    return address.port;
  }

  /** What a client passes as `rest: { api }`; discord.js appends `/v10/...`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /**
   * Where attachment `url`s point: this server, `http://127.0.0.1:<port>` (the host of `apiUrl`,
   * which a product trusts as its test CDN), paths under `/attachments/`.
   */
  get cdnOrigin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every download the loopback CDN got, in arrival order (a test can check a file was NOT fetched). */
  get cdnRequests(): readonly CdnRequest[] {
    return this.#cdnRequests;
  }

  /** Threads the bot started from a message, in creation order (not those of `createThread`). */
  get threadsCreated(): readonly ThreadCreatedEvent[] {
    return this.#threadsCreated;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}${GATEWAY_PATH}`;
  }

  get botUser(): FakeUser {
    return this.#world.botUser;
  }

  get humanUser(): FakeUser {
    return this.#world.humanUser;
  }

  /**
   * The owner of every guild, a member: discord.js gives an owner every permission (and so does
   * `runCommand`'s default), which `humanUser`, an ordinary member, does not have.
   */
  get ownerUser(): FakeUser {
    return this.#world.ownerUser;
  }

  get applicationId(): string {
    return this.#world.applicationId;
  }

  /** The first guild (of `guildIds`). */
  get guildId(): string {
    return this.#world.guildId;
  }

  /** Every guild, in creation order: guild i is on shard i % n when the bot runs n ≤ 16 shards. */
  get guildIds(): readonly string[] {
    return this.#world.guilds.map((guild) => guild.id);
  }

  /** The first guild's text channels, in position order. */
  get channelIds(): readonly string[] {
    return this.#world.guildChannelIds;
  }

  /** A guild's text channels, in position order; throws for an unknown guild. */
  channelIdsOf(guildId: string): readonly string[] {
    return this.#world.guild(guildId).channelIds;
  }

  /** The id of the first guild's text channel `index` (default 0); throws if there is no such channel. */
  channelId(index = 0): string {
    const id = this.#world.guildChannelIds[index];
    if (id === undefined) throw new Error(`fake-discord: no guild channel #${index}`);
    return id;
  }

  /** The DM channel between the bot and `humanUser`. */
  get dmChannelId(): string {
    return this.#world.dmChannelFor(this.#world.humanUser.id).id;
  }

  /** Every message ever created, by id; deleted ones stay with `deleted: true`. */
  get messages(): ReadonlyMap<string, StoredMessage> {
    return this.#world.messages;
  }

  /** Every REST request answered so far, in response order. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** 429 responses sent so far (bucket and global). */
  get rateLimitCount(): number {
    return this.#rateLimitCount;
  }

  /** Open gateway connections, identified or not. */
  get gatewayConnections(): number {
    return this.#gateway.connectedCount;
  }

  /** The connected sessions that have identified, in identify order (their `index` is what `session` options take). */
  sessions(): GatewaySession[] {
    return this.#gateway.sessions();
  }

  /**
   * Closes session `index`'s gateway connection as Discord does when a gateway node goes away: close
   * code 4000 by default (unknown error: discord.js resumes, is told the session is gone, identifies
   * again). With `holdGateway()` first, the client waits for HELLO until `releaseGateway()`.
   */
  dropSession(index: number, code = 4000): void {
    this.#gateway.dropSession(index, code);
  }

  /** Until `releaseGateway()`, new gateway connections get no HELLO: a reconnecting client waits. */
  holdGateway(): void {
    this.#gateway.hold();
  }

  /** HELLO to the connections that waited; new connections get it at once again. */
  releaseGateway(): void {
    this.#gateway.release();
  }

  /** Forgets recorded requests (REST and CDN) and the 429 count; messages and rate-limit windows stay. */
  clearRecords(): void {
    this.#requests.length = 0;
    this.#cdnRequests.length = 0;
    this.#rateLimitCount = 0;
  }

  /**
   * A guild member writes in a guild channel: stored, then MESSAGE_CREATE to the clients of the
   * guild's shard (or to `session` alone).
   */
  userSays(options: UserSaysOptions): StoredMessage {
    this.#assertSession(options.session);
    const channel = this.#guildChannel('channelId' in options ? options.channelId : this.channelId(0));
    const author = this.#world.addMember(options.author ?? this.#world.humanUser);
    const botId = this.#world.botUser.id;
    const mentionIds = userMentionsIn(options.content).filter((id) => id !== botId && this.#world.users.has(id));
    if (options.mentionBot ?? true) mentionIds.unshift(botId);
    const message = this.#world.createMessage({
      channel,
      author,
      content: options.content,
      mentionIds,
      referencedMessageId: options.replyTo,
      attachments: this.#attachments(channel.id, options.attachments),
    });
    this.#publishCreated(message, options.session);
    return message;
  }

  /**
   * A user writes to the bot in their DM channel (no guild_id, no member, channel_type 1); the
   * MESSAGE_CREATE goes to shard 0 (or to `session` alone).
   */
  dmSays(options: DmSaysOptions): StoredMessage {
    this.#assertSession(options.session);
    const author = this.#world.knowUser(options.author ?? this.#world.humanUser);
    const channel = this.#world.dmChannelFor(author.id);
    const message = this.#world.createMessage({
      channel,
      author,
      content: options.content,
      mentionIds: [],
      referencedMessageId: options.replyTo,
      attachments: this.#attachments(channel.id, options.attachments),
    });
    this.#publishCreated(message, options.session);
    return message;
  }

  /**
   * Deletes any message (as a moderator or its author would) and dispatches MESSAGE_DELETE:
   * users', the bot's, interaction responses; an ephemeral one vanishes without an event, as
   * nobody but its user ever saw it.
   */
  deleteMessage(id: string): StoredMessage {
    const message = this.#world.messages.get(id);
    if (message === undefined || message.deleted) throw new Error(`fake-discord: no live message ${id}`);
    message.deleted = true;
    this.#publishDeleted(message);
    return message;
  }

  /**
   * A file a user picks for a slash command's attachment option: stored and served by the loopback
   * CDN like a message's. Pass its `id` as the option's value; the interaction then carries it in
   * `data.resolved.attachments`, as Discord does.
   */
  uploadForCommand(input: FakeAttachmentInput, channelId: string = this.channelId(0)): StoredAttachment {
    const [attachment] = this.#attachments(channelId, [input]);
    if (attachment === undefined) throw new Error('fake-discord: no attachment stored');
    this.#world.attachments.set(attachment.id, attachment);
    return attachment;
  }

  /**
   * A user runs a slash command: INTERACTION_CREATE (type 2, chat input) goes to the clients of
   * the channel's shard (or to `session` alone), and the interaction's clocks start. Options are
   * values, or one subcommand (type 1) or group (type 2) with its own `options` nested as Discord
   * sends them (see `CommandOptionNested`). Throws for an option value that does not fit its type,
   * or a subcommand or group that is not alone at its level.
   */
  runCommand(options: RunCommandOptions): FakeCommandInteraction {
    this.#assertSession(options.session);
    const record = createCommandInteraction(this.#world, options);
    const payload = apiCommandInteraction(this.#world, record);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, () => payload, audience(record.channel, options));
    return publicInteraction(record);
  }

  /**
   * A user presses a button: INTERACTION_CREATE (type 3, component type 2) carrying the message
   * as it is now, and the interaction's clocks start. Throws unless the message is live and has
   * an enabled button with `customId` in its current components, or if `user` cannot see it.
   * Routed like `runCommand`.
   */
  pressButton(options: PressButtonOptions): FakeButtonInteraction {
    this.#assertSession(options.session);
    const { record, message } = createButtonInteraction(this.#world, options);
    const payload = apiButtonInteraction(this.#world, record, message);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, () => payload, audience(record.channel, options));
    return publicInteraction(record);
  }

  /**
   * The custom_ids of the buttons on a message now, in layout order, disabled ones included
   * (link buttons have none). A deleted message shows no buttons: [].
   */
  buttonsOf(messageId: string): string[] {
    const message = this.#world.messages.get(messageId);
    if (message === undefined) throw new Error(`fake-discord: no message ${messageId}`);
    return message.deleted ? [] : buttonsIn(message.components).map((button) => button.customId);
  }

  /**
   * Takes `permissions` away from the bot in a text channel (a member overwrite, as a moderator
   * would set) and sends CHANNEL_UPDATE, so the bot's cache knows before any later event. REST then
   * refuses what the bot may no longer do there: 50001 without View Channel, 50013 for a post
   * without Send Messages (in its threads: Send Messages in Threads), 160002 for a reply without
   * Read Message History. Interaction responses still work, as on Discord.
   */
  denyBot(channelId: string, permissions: bigint): void {
    const channel = this.#guildChannel(channelId);
    denyBot(this.#world, channel, permissions);
    this.#publishChannelUpdate(channel);
  }

  /**
   * A new role in the guild (default the first) and gives it to `users`. Only GUILD_CREATE carries
   * roles here, so call it before the bot connects (e.g. in the harness's `env` function). The role
   * grants `permissions` (default @everyone's, i.e. nothing more): with `ManageGuild`, discord.js
   * computes `message.member.permissions` with it for these users' messages, and `runCommand` sends
   * it in `member.permissions` unless told otherwise.
   */
  createRole(users: readonly FakeUser[], guildId: string = this.#world.guildId, permissions?: bigint): string {
    const roleId = this.#world.createRole(guildId, permissions);
    for (const user of users) {
      this.#world.addMember(user);
      this.#world.giveRole(user.id, roleId);
    }
    return roleId;
  }

  /** A category holding these text channels; like `createRole`, call it before the bot connects. */
  createCategory(channelIds: readonly string[], guildId: string = this.#world.guildId): string {
    return this.#world.createCategory(guildId, channelIds);
  }

  /** Removes what `denyBot` set on a channel, with CHANNEL_UPDATE. */
  restoreBot(channelId: string): void {
    const channel = this.#guildChannel(channelId);
    restoreBot(this.#world, channel);
    this.#publishChannelUpdate(channel);
  }

  /** The bot's permission bits in a guild channel or thread now, as Discord computes them. */
  botPermissions(channelId: string): bigint {
    return botPermissionsIn(this.#world, this.#guildChannel(channelId));
  }

  /**
   * Opens a public thread in a text channel (default the first), which the bot has joined, and
   * sends THREAD_CREATE; `userSays({ channelId: threadId })` then writes in it. The thread follows
   * its parent's permissions: `denyBot(parentId, SendMessagesInThreads)` closes it to the bot.
   */
  createThread(parentId: string = this.channelId(0), name = 'a thread'): string {
    const thread = this.#world.createThread(parentId, name);
    this.#gateway.dispatch(
      GatewayDispatchEvents.ThreadCreate,
      () => ({ ...apiChannel(this.#world, thread), newly_created: true }),
      { guildId: thread.guildId },
    );
    return thread.id;
  }

  /**
   * Ends an interaction's token now, as 15 minutes passing would: callbacks get 10062, webhook
   * routes 401 / 50027. Deterministic, unlike waiting out `interactionTokenTtlMs`.
   */
  expireInteraction(interactionId: string): void {
    this.#interaction(interactionId).expired = true;
  }

  /**
   * The live records of the messages an interaction created: the original response (a reply or
   * deferral), then follow-ups. A button's update (6, 7) creates none: its message is not listed.
   */
  interactionMessages(interactionId: string): StoredMessage[] {
    return interactionMessages(this.#world, this.#interaction(interactionId));
  }

  /** A copy of the registered commands: global ones without `guildId`, else that guild's. */
  registeredCommands(guildId?: string): APIApplicationCommand[] {
    return structuredClone([...this.#world.commands.list(guildId)]);
  }

  /**
   * How often the bot read (GET) and replaced (PUT) the registered commands, globally without
   * `guildId`, else that guild's: a start-up sync that finds them in step makes one read, no write.
   */
  commandRequests(guildId?: string): CommandRequestCounts {
    return this.#world.commands.requestCounts(guildId);
  }

  /**
   * Resolves with the first `event` whose value satisfies `predicate`. Purely event-driven:
   * call it before the action that causes the event, then await it.
   */
  async waitFor<E extends FakeDiscordEventName>(
    event: E,
    predicate: (value: EventValue<E>) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<EventValue<E>> {
    // TypeScript cannot resolve the listener type for a generic event name, so listen through
    // the untyped view; the predicate is still typed by E.
    const emitter: EventEmitter = this.events;
    return waitForEvent(emitter, event, predicate, { fake: 'fake-discord', closing: this.#closing.signal, options });
  }

  /** Drops gateway clients and HTTP sockets so nothing keeps the test process alive. */
  async close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing.abort();
    this.#rest.close();
    this.#gateway.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
    });
  }

  #services(gatewayUrl: () => string, recommendedShards: number): RouteServices {
    return {
      world: this.#world,
      gatewayUrl,
      recommendedShards,
      interactionTimeouts: () => ({
        ackTimeoutMs: this.interactionAckTimeoutMs,
        tokenTtlMs: this.interactionTokenTtlMs,
      }),
      publish: {
        created: (message) => this.#publishCreated(message),
        updated: (message) => this.#publishUpdated(message),
        deleted: (message) => this.#publishDeleted(message),
        interactionCallback: (event) => this.events.emit('interactionCallback', event),
        commandsRegistered: (event) => this.events.emit('commandsRegistered', event),
        threadCreated: (thread, event) => this.#publishThreadCreated(thread, event),
      },
    };
  }

  #attachments(channelId: string, inputs: readonly FakeAttachmentInput[] | undefined): StoredAttachment[] {
    return storeAttachments(this.#world.ids, channelId, inputs ?? [], this.cdnOrigin);
  }

  #publishThreadCreated(thread: GuildChannelRecord, event: ThreadCreatedEvent): void {
    this.#gateway.dispatch(
      GatewayDispatchEvents.ThreadCreate,
      () => ({ ...apiChannel(this.#world, thread), newly_created: true }),
      { guildId: thread.guildId },
    );
    this.#threadsCreated.push(event);
    this.events.emit('threadCreate', event);
  }

  #interaction(id: string): InteractionRecord {
    const record = this.#world.interactions.get(id);
    if (record === undefined) throw new Error(`fake-discord: no interaction ${id}`);
    return record;
  }

  /** A wrong `session` must fail before anything is stored, not leave an undispatched message behind. */
  #assertSession(session: number | undefined): void {
    if (session !== undefined) this.#gateway.assertSession(session);
  }

  #publishCreated(message: StoredMessage, session?: number): void {
    this.#gateway.dispatch(GatewayDispatchEvents.MessageCreate, (view) => messageEventFor(this.#world, message, view), {
      guildId: message.guildId,
      session,
    });
    this.events.emit('messageCreate', snapshot(message));
  }

  #publishUpdated(message: StoredMessage): void {
    this.#gateway.dispatch(GatewayDispatchEvents.MessageUpdate, (view) => messageEventFor(this.#world, message, view), {
      guildId: message.guildId,
    });
    this.events.emit('messageUpdate', snapshot(message));
  }

  #publishChannelUpdate(channel: GuildChannelRecord): void {
    this.#gateway.dispatch(GatewayDispatchEvents.ChannelUpdate, () => apiChannel(this.#world, channel), {
      guildId: channel.guildId,
    });
  }

  #publishDeleted(message: StoredMessage): void {
    this.#gateway.dispatch(GatewayDispatchEvents.MessageDelete, (view) => messageDeleteFor(message, view), {
      guildId: message.guildId,
    });
    this.events.emit('messageDelete', snapshot(message));
  }

  #recordResponse(request: RecordedRequest): void {
    this.#requests.push(request);
    if (request.status === 429) this.#rateLimitCount += 1;
    this.events.emit('request', request);
    if (request.status === 429) this.events.emit('rateLimited', request);
  }

  #guildChannel(channelId: string | undefined): GuildChannelRecord {
    const channel = channelId === undefined ? undefined : this.#world.channels.get(channelId);
    if (channel?.kind !== 'guild') throw new Error(`fake-discord: ${channelId} is not a guild channel or thread`);
    return channel;
  }
}

/** Where an interaction in `channel` is dispatched: its guild's shard, shard 0 for a DM, or `session`. */
function audience(channel: ChannelRecord, options: { readonly session?: number }): Audience {
  return { guildId: channel.kind === 'guild' ? channel.guildId : undefined, session: options.session };
}

/** Starts a fake Discord on loopback; `close()` it in afterEach. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return FakeDiscord.start(options);
}
