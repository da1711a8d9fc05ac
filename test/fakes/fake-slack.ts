/**
 * A loopback fake of Slack for end-to-end tests with the real @slack/web-api WebClient and the
 * real @slack/bolt App in Socket Mode: the Web API under `apiUrl` (pass it as `slackApiUrl`, or
 * Bolt's `clientOptions.slackApiUrl`, which Bolt also hands to its Socket Mode client), and a
 * Socket Mode websocket on the same port whose one-time URL `apps.connections.open` hands out.
 * It checks tokens and arguments as Slack does, answers Slack's shapes (`{ ok: true, … }`,
 * `{ ok: false, error }` with HTTP 200, `429` + `Retry-After`), stores messages per channel with
 * their edits and native streams, and records every call (`requests`, `callsOf`), envelope and ack.
 *
 *   const fake = await startFakeSlack();
 *   const app = new App({ token: fake.botToken, appToken: fake.appToken, socketMode: true,
 *                         clientOptions: { slackApiUrl: fake.apiUrl } });
 *   await app.start();                                   // apps.connections.open, hello
 *   const { envelope } = fake.userMentions({ text: 'hi' });
 *   await fake.waitForAck(envelope.envelopeId);
 *   await app.stop(); await fake.connectionsClosed();    // in afterEach: Bolt's stop() does not
 *   await fake.close();                                  // wait for the close handshake
 *
 * Users act with `userMentions` (app_mention, plus the channel's `message` event when the app
 * subscribes to message.channels), `userDMs` (message.im), `userPosts` (a message without an
 * event, e.g. a thread to stream into), `runSlashCommand` (with a response_url served here,
 * `responseUrlPosts`) and `pressButton` (a button that is on a message now). Tests read
 * `messagesIn(channel, threadTs?)`, `message`, `textOf`, `statusOf`, `ephemerals`, `fileDownloads`
 * (files shared with `files: [...]` on a mention or DM), and wait on
 * events ('apiCall', 'ack', 'messagePosted', 'streamAppended', …) with `waitFor` / `waitForAck`.
 *
 * Failures: `rateLimit(method)` arms 429s, `rateLimits` budgets (see `SLACK_RATE_TIERS`) answer
 * 429 by themselves, `refuse(method, error)` answers `{ ok: false, error }` (e.g.
 * `feature_not_enabled` or `unknown_method` on chat.startStream), `latencyMs` delays answers,
 * `stopStreamAsUser` / `expireStream` end a stream, `disconnect(reason)` and `dropConnections()`
 * make Socket Mode clients reconnect. The client waits `clientPingTimeout` (5 s by default, and
 * Bolt's App does not pass it on) before reconnecting: build a `SocketModeReceiver` with a short
 * one, and `installerOptions.clientOptions.slackApiUrl`, to test reconnects quickly.
 *
 * Native streams: `chat.startStream` needs `thread_ts`, and outside DMs `recipient_user_id` and
 * `recipient_team_id`; `markdown_text` or `chunks` (never both, and the same kind for the whole
 * stream), each markdown ≤ 12,000 characters; `chat.update` refuses a message still streaming.
 * `text` over 4,000 characters is `msg_too_long`.
 */
import { waitForEvent } from './wait-for-event.js';
import type { WaitForOptions } from './wait-for-event.js';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ApiServer, API_PREFIX } from './slack/api-server.js';
import { buttonsIn } from './slack/buttons.js';
import { FILES_PATH, SharedFiles, type FakeSlackFileInput, type FileDownload } from './slack/files.js';
import { deliverOverHttp, type HttpEventsTarget, type HttpRetry } from './slack/http-delivery.js';
import { CHAT_METHODS } from './slack/chat-methods.js';
import { markdownShown } from './slack/message-content.js';
import type { MethodServices } from './slack/methods.js';
import { OTHER_METHODS } from './slack/other-methods.js';
import { blockActionsPayload, eventCallback, slashCommandPayload, userMessageEvent } from './slack/payloads.js';
import { RateTiers } from './slack/rate-tiers.js';
import { RESPONSE_PATH, ResponseUrls } from './slack/response-urls.js';
import { SocketModeServer, type DisconnectReason } from './slack/socket-mode.js';
import { STREAM_METHODS, streamedText } from './slack/stream-methods.js';
import type {
  AckRecord,
  EphemeralMessage,
  FakeSlackEventName,
  FakeSlackEvents,
  FakeSlackOptions,
  FakeSlackUser,
  RecordedApiCall,
  ResponseUrlPost,
  SentEnvelope,
  SlackMessageSnapshot,
  StoredSlackMessage,
} from './slack/types.js';
import { snapshot, TEAM_ID, Workspace, type ChannelRecord } from './slack/workspace.js';

export { slackSignature, type HttpEventsTarget } from './slack/http-delivery.js';
export type { FakeSlackFileInput, FileDownload } from './slack/files.js';
export { SLACK_RATE_TIERS, type MethodRateLimit } from './slack/rate-tiers.js';
export type { DisconnectReason } from './slack/socket-mode.js';
export { streamedText } from './slack/stream-methods.js';
export { markdownShown } from './slack/message-content.js';
export type * from './slack/types.js';

export interface UserMentionsOptions {
  /** A public channel; default the first. */
  readonly channel?: string;
  /** Default `humanUser`. */
  readonly user?: FakeSlackUser;
  /** What the user writes; `<@bot>` is put in front unless it already names the bot. */
  readonly text: string;
  /** Writes in this thread (a parent's ts) instead of the channel. */
  readonly threadTs?: string;
  /** Only this Socket Mode connection (1, 2, …) gets the envelope; default the newest. */
  readonly connection?: number;
  /** Files shared with the message (served at their `url_private_download`, see `fileDownloads`). */
  readonly files?: readonly FakeSlackFileInput[];
}

export interface UserDMsOptions {
  readonly user?: FakeSlackUser;
  readonly text: string;
  readonly threadTs?: string;
  readonly connection?: number;
  readonly files?: readonly FakeSlackFileInput[];
}

export interface RunSlashCommandOptions {
  /** e.g. '/ask'. */
  readonly command: string;
  readonly text?: string;
  readonly user?: FakeSlackUser;
  /** Default the first public channel. */
  readonly channel?: string;
  readonly connection?: number;
}

export interface PressButtonOptions {
  readonly channel: string;
  /** The message the button is on (the app's). */
  readonly messageTs: string;
  readonly actionId: string;
  /** Must equal the button's value when given. */
  readonly value?: string;
  readonly user?: FakeSlackUser;
  readonly connection?: number;
}

/** What a user's action produced: the stored message (if any) and the envelope the app got. */
export interface UserAction {
  readonly message: SlackMessageSnapshot;
  readonly envelope: SentEnvelope;
}

export type { WaitForOptions } from './wait-for-event.js';

type EventValue<E extends FakeSlackEventName> = FakeSlackEvents[E][0];

const DEFAULT_EVENTS = ['app_mention', 'message.im'];

/** A loopback Slack workspace with the app installed: Web API, Socket Mode, one human, channels. */
export class FakeSlack {
  readonly events = new EventEmitter<FakeSlackEvents>();
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId = TEAM_ID;
  /** Delay before each Web API answer (the state changes at once); changeable at any time. */
  latencyMs: number;

  readonly #workspace: Workspace;
  readonly #subscriptions: ReadonlySet<string>;
  readonly #http: Server;
  readonly #api: ApiServer;
  readonly #socket: SocketModeServer;
  readonly #responses: ResponseUrls;
  readonly #files: SharedFiles;
  readonly #requests: RecordedApiCall[] = [];
  readonly #acks: AckRecord[] = [];
  readonly #envelopes: SentEnvelope[] = [];
  readonly #responseUrlPosts: ResponseUrlPost[] = [];
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;
  #httpTarget: HttpEventsTarget | undefined;
  #httpCount = 0;

  private constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = options.appToken ?? 'xapp-fake-app-token';
    this.latencyMs = options.latencyMs ?? 0;
    this.#workspace = new Workspace(options.channels ?? 2);
    this.#subscriptions = new Set(options.events ?? DEFAULT_EVENTS);
    this.#socket = new SocketModeServer({
      onOpen: (event) => this.events.emit('socketOpen', event),
      onClose: (event) => this.events.emit('socketClose', event),
      onAck: (ack) => {
        this.#acks.push(ack);
        this.events.emit('ack', ack);
      },
      onEnvelope: (envelope) => {
        this.#envelopes.push(envelope);
        this.events.emit('envelope', envelope);
      },
    });
    const services: MethodServices = {
      workspace: this.#workspace,
      events: this.events,
      openConnectionUrl: () => this.#socket.issueUrl(this.origin),
    };
    this.#api = new ApiServer({
      methods: { ...OTHER_METHODS, ...CHAT_METHODS, ...STREAM_METHODS },
      services,
      botToken: this.botToken,
      appToken: this.appToken,
      tiers: new RateTiers(options.rateLimits ?? {}),
      latencyMs: () => this.latencyMs,
      onCall: (call) => {
        this.#requests.push(call);
        this.events.emit('apiCall', call);
        if (call.status === 429) this.events.emit('rateLimited', call);
      },
    });
    this.#files = new SharedFiles(this.botToken);
    this.#responses = new ResponseUrls({
      workspace: this.#workspace,
      onPost: (post) => {
        this.#responseUrlPosts.push(post);
        this.events.emit('responseUrlPost', post);
      },
      onMessage: (kind, message) => this.#publish(kind, message),
    });
    this.#http = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://fake-slack').pathname;
      const handled = path.startsWith(API_PREFIX)
        ? this.#api.handle(req, res, path)
        : path.startsWith(RESPONSE_PATH)
          ? this.#responses.handle(req, res, path)
          : path.startsWith(FILES_PATH)
            ? this.#files.handle(req, res, path)
            : undefined;
      if (handled === undefined) {
        res.writeHead(404).end();
        return;
      }
      handled.catch((error: unknown) => {
        // Only a broken socket gets here; the test sees it as a failed request on its side.
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.#http.on('upgrade', (req, socket, head) => {
      if (this.#socket.handles(req)) this.#socket.handleUpgrade(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  }

  /** Starts a fake on 127.0.0.1 with an OS-chosen port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
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
    if (address === null || typeof address === 'string') throw new Error('fake-slack: not listening');
    return address.port;
  }

  /** `http://127.0.0.1:<port>`; response_urls and the Socket Mode URL live here too. */
  /** Serves Slack's sign-in page for every file from now on, as Slack does without files:read. */
  denyFileDownloads(): void {
    this.#files.deny();
  }

  /** Every download of a shared file, in order. */
  get fileDownloads(): readonly FileDownload[] {
    return this.#files.downloads;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a client passes as `slackApiUrl`; the WebClient appends the method name. */
  get apiUrl(): string {
    return `${this.origin}${API_PREFIX}`;
  }

  get botUser(): FakeSlackUser {
    return this.#workspace.botUser;
  }

  get humanUser(): FakeSlackUser {
    return this.#workspace.humanUser;
  }

  /** The id of the public channel `index` (0-based). */
  channelId(index = 0): string {
    const channel = [...this.#workspace.channels.values()].filter((record) => record.type === 'channel')[index];
    if (channel === undefined) throw new Error(`fake-slack: no public channel #${index}`);
    return channel.id;
  }

  /** The DM channel (`D…`) between `user` and the app. */
  dmChannelOf(user: FakeSlackUser = this.humanUser): string {
    return this.#workspace.dmOf(user.id).id;
  }

  /** Another human in the workspace. */
  addUser(name: string): FakeSlackUser {
    return this.#workspace.addUser(name);
  }

  /** Every Web API call, in the order answered (tokens left out). */
  get requests(): readonly RecordedApiCall[] {
    return this.#requests;
  }

  /** The calls of one method, in order. */
  callsOf(method: string): RecordedApiCall[] {
    return this.#requests.filter((call) => call.method === method);
  }

  get acks(): readonly AckRecord[] {
    return this.#acks;
  }

  get envelopes(): readonly SentEnvelope[] {
    return this.#envelopes;
  }

  get responseUrlPosts(): readonly ResponseUrlPost[] {
    return this.#responseUrlPosts;
  }

  get ephemerals(): readonly EphemeralMessage[] {
    return this.#workspace.ephemerals;
  }

  /** The numbers of the Socket Mode connections open now (1, 2, … in opening order). */
  get openConnections(): number[] {
    return this.#socket.openConnections;
  }

  /**
   * Copies of a channel's live messages in ts order: all of them, or with `threadTs` the thread's
   * parent and its replies.
   */
  messagesIn(channel: string, threadTs?: string): SlackMessageSnapshot[] {
    const record = this.#channel(channel);
    return record.messages
      .filter((message) => !message.deleted)
      .filter((message) => threadTs === undefined || message.ts === threadTs || message.threadTs === threadTs)
      .map(snapshot);
  }

  /** One message by ts, deleted or not. */
  message(channel: string, ts: string): SlackMessageSnapshot {
    return snapshot(this.#message(channel, ts));
  }

  /**
   * The text a message shows now: a live stream's appended markdown, else markdown_text (a stream's
   * appended text once it ended, unless chat.update replaced it), else its `markdown` blocks' text,
   * else text.
   */
  textOf(channel: string, ts: string): string {
    const message = this.#message(channel, ts);
    if (message.stream?.state === 'streaming') return streamedText(message.stream.chunks);
    return markdownShown(message.content) ?? message.content.text ?? '';
  }

  /** The latest `assistant.threads.setStatus` of a thread ('' once cleared), or undefined. */
  statusOf(channel: string, threadTs: string): string | undefined {
    return this.#workspace.statuses.get(`${channel}/${threadTs}`);
  }

  /** The next `times` calls of `method` get HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit(
    method: string,
    { retryAfterSeconds = 1, times = 1 }: { retryAfterSeconds?: number; times?: number } = {},
  ): void {
    this.#api.arm(method, { kind: 'rateLimit', retryAfterSeconds }, times);
  }

  /**
   * The next `times` calls of `method` (default every call: Infinity) answer `{ ok: false, error }`,
   * e.g. `refuse('chat.startStream', 'feature_not_enabled')`.
   */
  refuse(method: string, error: string, { times = Number.POSITIVE_INFINITY }: { times?: number } = {}): void {
    this.#api.arm(method, { kind: 'refuse', error }, times);
  }

  /** Ends what `rateLimit` / `refuse` armed for `method`. */
  restore(method: string): void {
    this.#api.disarm(method);
  }

  /** The user pressed the stop button of a streaming message: appends get `stopped_by_user`. */
  stopStreamAsUser(channel: string, ts: string): void {
    this.#openStream(channel, ts).state = 'stopped_by_user';
  }

  /** Slack ended a stream that ran too long: appends and stop get `message_not_in_streaming_state`. */
  expireStream(channel: string, ts: string): void {
    this.#openStream(channel, ts).state = 'expired';
  }

  /**
   * A user mentions the app in a channel: the message is stored and an `app_mention` envelope
   * goes out (with 'message.channels' subscribed, the channel's `message` event first).
   */
  userMentions(options: UserMentionsOptions): UserAction {
    const channel = this.#channel(options.channel ?? this.channelId(0));
    const mention = `<@${this.botUser.id}>`;
    const text = options.text.includes(mention) ? options.text : `${mention} ${options.text}`;
    const message = this.#userMessage(channel, options.user, text, options.threadTs);
    const files = this.#share(message, options.files);
    if (this.#subscriptions.has('message.channels')) {
      this.#sendEvent(userMessageEvent('message', channel, message, files), options.connection);
    }
    const envelope = this.#sendEvent(userMessageEvent('app_mention', channel, message, files), options.connection);
    return { message: snapshot(message), envelope };
  }

  /**
   * A user writes in a channel without naming the app: stored (a thread to stream into, history),
   * and a `message` envelope only if the app subscribes to 'message.channels' and is connected.
   */
  userPosts(options: Omit<UserMentionsOptions, 'connection'>): SlackMessageSnapshot {
    const channel = this.#channel(options.channel ?? this.channelId(0));
    const message = this.#userMessage(channel, options.user, options.text, options.threadTs);
    if (this.#subscriptions.has('message.channels') && this.openConnections.length > 0) {
      this.#sendEvent(userMessageEvent('message', channel, message), undefined);
    }
    return snapshot(message);
  }

  /** A user writes to the app in their DM: a `message` event with channel_type 'im'. */
  userDMs(options: UserDMsOptions): UserAction {
    const user = options.user ?? this.humanUser;
    const channel = this.#workspace.dmOf(user.id);
    const message = this.#userMessage(channel, user, options.text, options.threadTs);
    const files = this.#share(message, options.files);
    const envelope = this.#sendEvent(userMessageEvent('message', channel, message, files), options.connection);
    return { message: snapshot(message), envelope };
  }

  /** A user runs a slash command: a `slash_commands` envelope with a response_url served here. */
  runSlashCommand(options: RunSlashCommandOptions): { envelope: SentEnvelope; responseUrl: string } {
    const user = options.user ?? this.humanUser;
    const channel = this.#channel(options.channel ?? this.channelId(0));
    const response = this.#responses.create(this.origin, channel);
    const payload = slashCommandPayload({
      command: options.command,
      text: options.text ?? '',
      user: user.id,
      userName: user.name,
      channel,
      responseUrl: response.url,
    });
    const envelope = this.#deliver('slash_commands', payload, options.connection);
    response.bind(envelope.envelopeId);
    return { envelope, responseUrl: response.url };
  }

  /**
   * A user presses a button on one of the app's messages: an `interactive` envelope with a
   * `block_actions` payload. Throws unless the message is live and has a button `actionId` now
   * (in its blocks, or in a stream's `blocks` chunks).
   */
  pressButton(options: PressButtonOptions): { envelope: SentEnvelope; responseUrl: string } {
    const user = options.user ?? this.humanUser;
    const channel = this.#channel(options.channel);
    const message = this.#message(options.channel, options.messageTs);
    const button = buttonsIn(message.deleted ? [] : blocksShown(message)).find((b) => b.actionId === options.actionId);
    if (button === undefined) throw new Error(`fake-slack: no button '${options.actionId}' on ${options.messageTs}`);
    if (options.value !== undefined && options.value !== button.value) {
      throw new Error(
        `fake-slack: button '${options.actionId}' has value ${String(button.value)}, not ${options.value}`,
      );
    }
    const response = this.#responses.create(this.origin, channel, message);
    const payload = blockActionsPayload({
      ...button,
      user: user.id,
      userName: user.name,
      channel,
      message,
      responseUrl: response.url,
    });
    const envelope = this.#deliver('interactive', payload, options.connection);
    response.bind(envelope.envelopeId);
    return { envelope, responseUrl: response.url };
  }

  /**
   * From now on users' actions reach the app as Slack's signed HTTP requests to `target.url`
   * (events as JSON, commands as a form, interactivity as a form `payload`) instead of Socket
   * Mode; `undefined` goes back to Socket Mode. The app's HTTP answer is recorded as the ack
   * (`httpStatus`, body as `payload`), so `waitForAck` works the same way.
   */
  useHttpEvents(target: HttpEventsTarget | undefined): void {
    this.#httpTarget = target;
  }

  /**
   * Slack sends an event again (it was not acked in time): same payload and event_id, a new
   * envelope with `retry_attempt` (Socket Mode) or `X-Slack-Retry-Num` (HTTP) one higher.
   */
  redeliver(envelopeId: string, reason?: string): SentEnvelope {
    const previous = this.#envelopes.find((envelope) => envelope.envelopeId === envelopeId);
    if (previous === undefined) throw new Error(`fake-slack: no envelope ${envelopeId}`);
    const attempt = previous.retryAttempt + 1;
    const retry = { attempt, reason: reason ?? (this.#httpTarget === undefined ? 'timeout' : 'http_timeout') };
    return this.#deliver(previous.type, { ...previous.payload }, undefined, retry);
  }

  /** Sends Slack's `disconnect` message (to every connection, or one): clients reconnect. */
  disconnect(reason: DisconnectReason = 'refresh_requested', connection?: number): void {
    this.#socket.disconnect(reason, connection);
  }

  /** Cuts every Socket Mode connection without a close frame. */
  dropConnections(): void {
    this.#socket.drop();
  }

  /**
   * Resolves once no Socket Mode connection is open. Bolt's `app.stop()` resolves as soon as the
   * client has sent its close frame, before the handshake ends: await this before `close()`.
   */
  async connectionsClosed(options: WaitForOptions = {}): Promise<void> {
    if (this.openConnections.length === 0) return;
    await this.waitFor('socketClose', (event) => event.open === 0, options);
  }

  /** Resolves with the client's ack of an envelope, at once if it already came. */
  async waitForAck(envelopeId: string, options: WaitForOptions = {}): Promise<AckRecord> {
    const waiting = this.waitFor('ack', (ack) => ack.envelopeId === envelopeId, options);
    const already = this.#acks.find((ack) => ack.envelopeId === envelopeId);
    if (already === undefined) return waiting;
    waiting.catch(() => undefined);
    return already;
  }

  /**
   * Resolves with the first `event` whose value satisfies `predicate`. Purely event-driven:
   * call it before the action that causes the event, then await it.
   */
  async waitFor<E extends FakeSlackEventName>(
    event: E,
    predicate: (value: EventValue<E>) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<EventValue<E>> {
    // TypeScript cannot resolve the listener type for a generic event name, so listen through
    // the untyped view; the predicate is still typed by E.
    const emitter: EventEmitter = this.events;
    return waitForEvent(emitter, event, predicate, { fake: 'fake-slack', closing: this.#closing.signal, options });
  }

  /** Drops Socket Mode clients and HTTP sockets so nothing keeps the test process alive. */
  async close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing.abort();
    this.#socket.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
    });
  }

  #userMessage(
    channel: ChannelRecord,
    user: FakeSlackUser | undefined,
    text: string,
    threadTs?: string,
  ): StoredSlackMessage {
    const author = user ?? this.humanUser;
    if (!this.#workspace.users.has(author.id)) throw new Error(`fake-slack: unknown user ${author.id}`);
    if (threadTs !== undefined && this.#workspace.findMessage(channel.id, threadTs) === undefined) {
      throw new Error(`fake-slack: no message ${threadTs} in ${channel.id} to reply to`);
    }
    return this.#workspace.addMessage(channel, {
      threadTs,
      user: author.id,
      content: { text, markdownText: undefined, blocks: undefined },
    });
  }

  #share(message: StoredSlackMessage, files: readonly FakeSlackFileInput[] | undefined) {
    return files === undefined ? undefined : this.#files.share(this.origin, message.user ?? '', files);
  }

  #sendEvent(event: Record<string, unknown>, connection: number | undefined): SentEnvelope {
    return this.#deliver('events_api', eventCallback(this.#workspace, event), connection);
  }

  #deliver(
    type: SentEnvelope['type'],
    payload: Record<string, unknown>,
    connection: number | undefined,
    retry?: HttpRetry,
  ): SentEnvelope {
    const target = this.#httpTarget;
    if (target === undefined) return this.#socket.send(type, payload, connection, retry);
    this.#httpCount += 1;
    const envelope: SentEnvelope = {
      envelopeId: `http-${this.#httpCount}`,
      type,
      transport: 'http',
      connection: 0,
      payload,
      retryAttempt: retry?.attempt ?? 0,
    };
    this.#envelopes.push(envelope);
    this.events.emit('envelope', envelope);
    deliverOverHttp(target, type, payload, retry).then(
      (answer) => this.#recordAck(envelope, answer.status, answer.body),
      // An app that is not listening (or hangs up) acks nothing: recorded as status 0.
      () => this.#recordAck(envelope, 0, {}),
    );
    return envelope;
  }

  #recordAck(envelope: SentEnvelope, status: number, body: Record<string, unknown>): void {
    const ack: AckRecord = {
      envelopeId: envelope.envelopeId,
      payload: body,
      connection: 0,
      known: status === 200,
      httpStatus: status,
      at: performance.now(),
    };
    this.#acks.push(ack);
    this.events.emit('ack', ack);
  }

  #publish(kind: 'posted' | 'updated' | 'deleted', message: StoredSlackMessage): void {
    const copy = snapshot(message);
    if (kind === 'posted') this.events.emit('messagePosted', copy);
    else if (kind === 'updated') this.events.emit('messageUpdated', copy);
    else this.events.emit('messageDeleted', copy);
  }

  #channel(id: string): ChannelRecord {
    const channel = this.#workspace.resolveChannel(id);
    if (channel === undefined) throw new Error(`fake-slack: no channel ${id}`);
    return channel;
  }

  #message(channel: string, ts: string): StoredSlackMessage {
    const message = this.#workspace.findMessage(channel, ts);
    if (message === undefined) throw new Error(`fake-slack: no message ${ts} in ${channel}`);
    return message;
  }

  #openStream(channel: string, ts: string): NonNullable<StoredSlackMessage['stream']> {
    const stream = this.#message(channel, ts).stream;
    if (stream?.state !== 'streaming') throw new Error(`fake-slack: ${ts} in ${channel} is not streaming`);
    return stream;
  }
}

/** The blocks a message shows: a stream's `blocks` chunks (e.g. a Stop button while it streams), then its own. */
function blocksShown(message: StoredSlackMessage): unknown[] {
  const streamed = (message.stream?.chunks ?? []).flatMap((chunk) =>
    chunk.type === 'blocks' && Array.isArray(chunk['blocks']) ? (chunk['blocks'] as unknown[]) : [],
  );
  return [...streamed, ...(message.content.blocks ?? [])];
}

/** Starts a fake Slack on loopback; `close()` it in afterEach, after the app. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(options);
}
