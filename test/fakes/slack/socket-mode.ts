import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { jsonFrame } from '../ws-frame.js';
import { isRecord } from './params.js';
import type { AckRecord, EnvelopeType, SentEnvelope, SocketCloseEvent, SocketOpenEvent } from './types.js';
import { APP_ID } from './workspace.js';

export const SOCKET_PATH = '/socket';
const DEBUG_HOST = 'applink-fake-1';

/** Why Slack asks a client to reconnect: a refresh, a warning before one, or the app's link turned off. */
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface SocketModeOptions {
  readonly onOpen: (event: SocketOpenEvent) => void;
  readonly onClose: (event: SocketCloseEvent) => void;
  readonly onAck: (ack: AckRecord) => void;
  readonly onEnvelope: (envelope: SentEnvelope) => void;
}

interface Connection {
  readonly number: number;
  readonly socket: WebSocket;
}

/**
 * The Socket Mode half: a URL per `apps.connections.open` (its ticket works once), `hello` on
 * connect, envelopes out, acks in. The client pings (undici's WebSocket) and `ws` answers with
 * pongs on its own, as Slack's servers do.
 */
export class SocketModeServer {
  readonly #options: SocketModeOptions;
  readonly #server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #tickets = new Set<string>();
  readonly #open: Connection[] = [];
  /** Envelopes sent and not acked yet. */
  readonly #pending = new Set<string>();
  #opened = 0;

  constructor(options: SocketModeOptions) {
    this.#options = options;
  }

  /** A one-time URL like Slack's `wss://wss-primary.slack.com/link/?ticket=…&app_id=…`. */
  issueUrl(origin: string): string {
    const ticket = randomBytes(12).toString('hex');
    this.#tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}&app_id=${APP_ID}`;
  }

  get openCount(): number {
    return this.#open.length;
  }

  /** The numbers (1, 2, … in opening order) of the connections open now. */
  get openConnections(): number[] {
    return this.#open.map((connection) => connection.number);
  }

  handles(req: IncomingMessage): boolean {
    return new URL(req.url ?? '/', 'http://fake-slack').pathname === SOCKET_PATH;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? '/', 'http://fake-slack').searchParams.get('ticket') ?? '';
    // A URL from apps.connections.open is good for one connection: a reconnect asks for a new one.
    if (!this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  /** Sends one envelope on `connection` (default: the newest open one); returns its id. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    connection?: number,
    retry: { readonly attempt: number; readonly reason: string } = { attempt: 0, reason: '' },
  ): SentEnvelope {
    const target = this.#connection(connection);
    const envelopeId = randomBytes(16)
      .toString('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    const frame: Record<string, unknown> = {
      envelope_id: envelopeId,
      payload,
      type,
      // Slack lets a slash command's ack carry the response; events and block actions take none.
      accepts_response_payload: type === 'slash_commands',
      ...(type === 'events_api' ? { retry_attempt: retry.attempt, retry_reason: retry.reason } : {}),
    };
    this.#pending.add(envelopeId);
    target.socket.send(JSON.stringify(frame));
    const envelope: SentEnvelope = {
      envelopeId,
      type,
      transport: 'socket',
      connection: target.number,
      payload,
      retryAttempt: retry.attempt,
    };
    this.#options.onEnvelope(envelope);
    return envelope;
  }

  /** Slack's `{ type: 'disconnect', reason }`: the client closes and reconnects with a new URL. */
  disconnect(reason: DisconnectReason, connection?: number): void {
    const targets = connection === undefined ? [...this.#open] : [this.#connection(connection)];
    for (const target of targets) {
      target.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_HOST } }));
    }
  }

  /** Cuts every connection without a close frame, as a network failure would. */
  drop(): void {
    for (const connection of this.#open) connection.socket.terminate();
  }

  close(): void {
    this.drop();
    this.#server.close();
  }

  #accept(socket: WebSocket): void {
    this.#opened += 1;
    const connection: Connection = { number: this.#opened, socket };
    this.#open.push(connection);
    socket.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));
    // A client vanishing mid-frame is its own business; an unhandled 'error' would crash the test.
    socket.on('error', () => undefined);
    socket.on('close', (code) => {
      const index = this.#open.indexOf(connection);
      if (index >= 0) this.#open.splice(index, 1);
      this.#options.onClose({ connection: connection.number, code, open: this.#open.length });
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#open.length,
        debug_info: { host: DEBUG_HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    this.#options.onOpen({ connection: connection.number, open: this.#open.length });
  }

  #onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    const frame = jsonFrame(data, isBinary);
    if (!isRecord(frame) || typeof frame['envelope_id'] !== 'string') return;
    const envelopeId = frame['envelope_id'];
    const payload = isRecord(frame['payload']) ? frame['payload'] : {};
    const known = this.#pending.delete(envelopeId);
    this.#options.onAck({
      envelopeId,
      payload,
      connection: connection.number,
      known,
      httpStatus: undefined,
      at: performance.now(),
    });
  }

  #connection(number: number | undefined): Connection {
    const found = number === undefined ? this.#open.at(-1) : this.#open.find((open) => open.number === number);
    if (found === undefined) {
      throw new Error(`fake-slack: no open Socket Mode connection${number === undefined ? '' : ` #${number}`}`);
    }
    return found;
  }
}
