import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { jsonFrame } from '../ws-frame.js';
import { isRecord } from './message-body.js';
import { apiGuildCreate, apiReady } from './payloads.js';
import { isValidShard, shardReceives, type ShardPair } from './shards.js';
import type { GatewayCloseEvent, GatewayOpenEvent, GatewaySession, IdentifyInfo } from './types.js';
import type { GuildRecord, World } from './world.js';

export const GATEWAY_PATH = '/gateway';
const GATEWAY_VERSION = '10';

/** Discord's close codes for the ways a client can misbehave that the fake detects. */
const CloseCode = {
  UnknownError: 4000,
  DecodeError: 4002,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
} as const;

/** What a dispatch builder may look at to decide what (or whether) a session receives. */
export interface SessionView {
  readonly intents: number;
  readonly shard: ShardPair | undefined;
}

/**
 * Who receives a dispatch. By default Discord's routing: the sessions whose shard owns
 * `guildId`, or shard 0 for a DM (`guildId` undefined). `session` overrides it: only the
 * connected session with that index (identify order) gets the event.
 */
export interface Audience {
  readonly guildId: string | undefined;
  readonly session?: number | undefined;
}

interface Session extends SessionView {
  readonly socket: WebSocket;
  sessionId: string | undefined;
  /** Identify order, from 0; set at IDENTIFY. */
  index: number | undefined;
  sequence: number;
  intents: number;
  shard: ShardPair | undefined;
}

export interface GatewayOptions {
  readonly world: World;
  readonly heartbeatIntervalMs: number;
  readonly token: string | undefined;
  /** Known only once the HTTP server listens, hence a function. */
  readonly gatewayUrl: () => string;
  readonly onIdentify: (info: IdentifyInfo) => void;
  readonly onClose: (event: GatewayCloseEvent) => void;
  readonly onOpen: (event: GatewayOpenEvent) => void;
}

/** The gateway side of the fake: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, dispatches. */
export class Gateway {
  readonly #options: GatewayOptions;
  // No permessage-deflate and no zlib-stream: discord.js asks for neither without zlib-sync.
  readonly #server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #sessions = new Set<Session>();
  #identified = 0;
  /** Connections waiting for HELLO while the gateway is held; null when it is not. */
  #held: Session[] | null = null;

  constructor(options: GatewayOptions) {
    this.#options = options;
  }

  /** Takes over an HTTP upgrade; anything but the gateway path is refused. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://fake-discord');
    if (url.pathname !== GATEWAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, url.searchParams));
  }

  /**
   * Sends one dispatch to every identified session in `audience`. `build` returns the session's
   * `d`, or undefined when the session would not receive the event (its intents exclude it).
   */
  dispatch(event: GatewayDispatchEvents, build: (session: SessionView) => unknown, audience: Audience): void {
    const targets =
      audience.session === undefined
        ? this.#identifiedSessions().filter((session) => shardReceives(session.shard, audience.guildId))
        : [this.#requireSession(audience.session)];
    for (const session of targets) {
      const data = build(session);
      if (data !== undefined) this.#sendDispatch(session, event, data);
    }
  }

  /** Throws unless a connected, identified session has this index. */
  assertSession(index: number): void {
    this.#requireSession(index);
  }

  /** The connected, identified sessions in identify order. */
  sessions(): GatewaySession[] {
    return this.#identifiedSessions().flatMap(({ index, sessionId, shard }) =>
      index === undefined || sessionId === undefined ? [] : [{ index, sessionId, shard }],
    );
  }

  get connectedCount(): number {
    return this.#sessions.size;
  }

  /** Closes an identified session's connection with `code`, as Discord does when a gateway node goes away. */
  dropSession(index: number, code: number): void {
    this.#requireSession(index).socket.close(code, 'fake-discord dropped the session');
  }

  /** New connections get no HELLO until `release()`: a client that reconnects waits, as during an outage. */
  hold(): void {
    this.#held ??= [];
  }

  /** Says HELLO to every connection that waited, and to every new one again. */
  release(): void {
    const waiting = this.#held ?? [];
    this.#held = null;
    for (const session of waiting) this.#hello(session);
  }

  /** Drops every connection at once: the fake is going away, there is nobody to say goodbye to. */
  close(): void {
    for (const session of this.#sessions) session.socket.terminate();
    this.#sessions.clear();
    this.#server.close();
  }

  #accept(socket: WebSocket, query: URLSearchParams): void {
    const session: Session = {
      socket,
      sessionId: undefined,
      index: undefined,
      sequence: 0,
      intents: 0,
      shard: undefined,
    };
    this.#sessions.add(session);
    socket.on('close', (code) => {
      this.#sessions.delete(session);
      const { index, sessionId, shard } = session;
      this.#options.onClose({ index, sessionId, shard, code, connections: this.#sessions.size });
    });
    // A client vanishing mid-frame is its own business; an unhandled 'error' would crash the test.
    socket.on('error', () => this.#sessions.delete(session));
    socket.on('message', (data, isBinary) => this.#onMessage(session, data, isBinary));

    const refusal = refuseQuery(query);
    if (refusal !== undefined) {
      socket.close(refusal.code, refusal.reason);
      return;
    }
    if (this.#held) this.#held.push(session);
    else this.#hello(session);
    this.#options.onOpen({ connections: this.#sessions.size, held: this.#held !== null });
  }

  #hello(session: Session): void {
    this.#send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs } });
  }

  #onMessage(session: Session, data: RawData, isBinary: boolean): void {
    const payload = jsonFrame(data, isBinary);
    if (!isRecord(payload)) {
      session.socket.close(CloseCode.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (payload['op']) {
      case GatewayOpcodes.Heartbeat:
        this.#send(session, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(session, payload['d']);
        return;
      case GatewayOpcodes.Resume:
        // Sessions are not kept; "not resumable" makes discord.js identify afresh.
        this.#send(session, { op: GatewayOpcodes.InvalidSession, d: false });
        return;
      default:
        // Presence updates, member requests, voice: accepted and ignored.
        return;
    }
  }

  #identify(session: Session, data: unknown): void {
    if (session.sessionId !== undefined) {
      session.socket.close(CloseCode.AlreadyAuthenticated, 'You sent more than one identify payload.');
      return;
    }
    const identify = isRecord(data) ? data : {};
    const token = typeof identify['token'] === 'string' ? identify['token'] : '';
    if (token === '' || (this.#options.token !== undefined && token !== this.#options.token)) {
      session.socket.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (identify['compress'] === true) {
      session.socket.close(CloseCode.UnknownError, 'fake-discord does not implement payload compression');
      return;
    }
    const shard = readShard(identify['shard']);
    if (shard !== undefined && !isValidShard(shard)) {
      session.socket.close(CloseCode.InvalidShard, 'Invalid shard.');
      return;
    }
    session.sessionId = randomBytes(16).toString('hex');
    session.index = this.#identified++;
    session.intents = typeof identify['intents'] === 'number' ? identify['intents'] : 0;
    session.shard = shard;
    const { world, gatewayUrl } = this.#options;
    const guilds = guildsOf(world, shard);
    const ready = apiReady(world, { sessionId: session.sessionId, resumeUrl: gatewayUrl(), shard, guilds });
    this.#sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    // discord.js emits clientReady only once every guild listed in READY has arrived.
    for (const guild of guilds)
      this.#sendDispatch(session, GatewayDispatchEvents.GuildCreate, apiGuildCreate(world, guild));
    this.#options.onIdentify({
      index: session.index,
      sessionId: session.sessionId,
      token,
      intents: session.intents,
      shard: session.shard,
      properties: identify['properties'],
    });
  }

  #identifiedSessions(): Session[] {
    return [...this.#sessions]
      .filter((session) => session.sessionId !== undefined)
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  #requireSession(index: number): Session {
    const session = this.#identifiedSessions().find((candidate) => candidate.index === index);
    if (session === undefined) {
      const connected = this.#identifiedSessions().map((candidate) => candidate.index);
      throw new Error(`fake-discord: no connected session #${index} (connected: ${connected.join(', ') || 'none'})`);
    }
    return session;
  }

  #sendDispatch(session: Session, event: GatewayDispatchEvents, data: unknown): void {
    session.sequence += 1;
    this.#send(session, { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
  }

  #send(session: Session, payload: { op: GatewayOpcodes; d?: unknown; t?: string; s?: number }): void {
    if (session.socket.readyState !== WebSocket.OPEN) return;
    session.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }
}

/** The query discord.js sends is `?v=10&encoding=json`; anything needing more is refused loudly. */
function refuseQuery(query: URLSearchParams): { code: number; reason: string } | undefined {
  if (query.get('v') !== GATEWAY_VERSION) return { code: CloseCode.InvalidApiVersion, reason: 'Invalid API version' };
  if ((query.get('encoding') ?? 'json') !== 'json') {
    return { code: CloseCode.DecodeError, reason: 'fake-discord speaks only encoding=json' };
  }
  if (query.has('compress')) {
    return { code: CloseCode.UnknownError, reason: 'fake-discord does not implement transport compression' };
  }
  return undefined;
}

/** The guilds a session serves: its shard's, or all of them without `shard`. */
function guildsOf(world: World, shard: ShardPair | undefined): GuildRecord[] {
  return world.guilds.filter((guild) => shardReceives(shard, guild.id));
}

function readShard(value: unknown): ShardPair | undefined {
  if (!Array.isArray(value)) return undefined;
  const pair: unknown[] = value;
  const [id, count] = pair;
  return typeof id === 'number' && typeof count === 'number' ? [id, count] : undefined;
}
