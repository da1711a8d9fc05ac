import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SlackApiError } from './api-errors.js';
import type { MethodDefinition, MethodServices } from './methods.js';
import { isRecord, parseForm } from './params.js';
import type { RateTiers } from './rate-tiers.js';
import type { RecordedApiCall, TokenKind } from './types.js';

export const API_PREFIX = '/api/';

/** What a test armed for one method: answered in place of the method, then used up. */
export type ArmedOutcome =
  | { readonly kind: 'rateLimit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'refuse'; readonly error: string };

export interface ApiServerOptions {
  readonly methods: Readonly<Record<string, MethodDefinition>>;
  readonly services: MethodServices;
  readonly botToken: string;
  readonly appToken: string;
  /** Budgets that answer 429 by themselves once a method is called too often. */
  readonly tiers: RateTiers;
  /** Read per call, so a test can change the latency of a running fake. */
  readonly latencyMs: () => number;
  readonly onCall: (call: RecordedApiCall) => void;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

interface Incoming {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly contentType: string;
  readonly token: TokenKind;
  /** A body the fake could not read: Slack's error for it. */
  readonly parseError: string | undefined;
}

/** The Web API half: POST /api/<method>, form or JSON, bearer token, Slack's `{ ok }` bodies. */
export class ApiServer {
  readonly #options: ApiServerOptions;
  /** Per method, outcomes still to hand out, first first; a `times: Infinity` one stays. */
  readonly #armed = new Map<string, { outcome: ArmedOutcome; left: number }[]>();

  constructor(options: ApiServerOptions) {
    this.#options = options;
  }

  /** The next `times` calls of `method` get `outcome` instead of being handled. */
  arm(method: string, outcome: ArmedOutcome, times: number): void {
    const queue = this.#armed.get(method) ?? [];
    queue.push({ outcome, left: times });
    this.#armed.set(method, queue);
  }

  /** Removes everything armed for `method` (a refusal with `times: Infinity`, for one). */
  disarm(method: string): void {
    this.#armed.delete(method);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const at = performance.now();
    const method = path.slice(API_PREFIX.length);
    const incoming = this.#read(req, await readBody(req));
    const reply = this.#reply(method, incoming);
    // The latency is the network: the state changed already, only the answer is late.
    const latency = this.#options.latencyMs();
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    const retryAfter = reply.headers['Retry-After'];
    this.#options.onCall({
      method,
      params: redactToken(incoming.params),
      contentType: incoming.contentType,
      token: incoming.token,
      status: reply.status,
      response: reply.body,
      retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
      at,
      respondedAt: performance.now(),
    });
  }

  #reply(method: string, incoming: Incoming): Reply {
    const definition = this.#options.methods[method];
    if (definition === undefined) return failure('unknown_method', { req_method: method });
    if (incoming.parseError !== undefined) return failure(incoming.parseError);
    if (incoming.token === 'none') return failure('not_authed');
    if (incoming.token === 'invalid') return failure('invalid_auth');
    const armed = this.#takeArmed(method);
    if (armed?.kind === 'rateLimit') return rateLimited(armed.retryAfterSeconds);
    if (armed?.kind === 'refuse') return failure(armed.error);
    const channel = incoming.params['channel'] ?? incoming.params['channel_id'];
    const retryAfter = this.#options.tiers.take(method, typeof channel === 'string' ? channel : undefined);
    if (retryAfter !== undefined) return rateLimited(retryAfter);
    if (definition.token !== 'any' && definition.token !== incoming.token) return failure('not_allowed_token_type');
    try {
      return {
        status: 200,
        headers: {},
        body: { ok: true, ...definition.handle({ params: incoming.params, services: this.#options.services }) },
      };
    } catch (error: unknown) {
      if (error instanceof SlackApiError) return failure(error.error, error.extra);
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, headers: {}, body: { ok: false, error: `fake_slack_bug: ${message}` } };
    }
  }

  #takeArmed(method: string): ArmedOutcome | undefined {
    const queue = this.#armed.get(method);
    const first = queue?.[0];
    if (queue === undefined || first === undefined) return undefined;
    first.left -= 1;
    if (first.left <= 0) queue.shift();
    return first.outcome;
  }

  #read(req: IncomingMessage, raw: string): Incoming {
    const contentType = req.headers['content-type'] ?? '';
    let params: Record<string, unknown> = {};
    let parseError: string | undefined;
    try {
      if (contentType.startsWith('application/json')) {
        const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
        if (isRecord(parsed)) params = parsed;
        else parseError = 'invalid_json';
      } else if (contentType.startsWith('application/x-www-form-urlencoded') || raw === '') {
        params = parseForm(raw);
      } else {
        parseError = 'invalid_form_data';
      }
    } catch (error: unknown) {
      parseError = error instanceof SlackApiError ? error.error : 'invalid_json';
    }
    // Slack reads a token from the Authorization header, or from a form body; a JSON body's
    // `token` field is ignored (JSON calls must use the header).
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length) : undefined;
    const formToken = contentType.startsWith('application/json') ? undefined : params['token'];
    const token = bearer ?? (typeof formToken === 'string' ? formToken : undefined);
    return { method: req.method ?? 'POST', params, contentType, token: this.#classify(token), parseError };
  }

  #classify(token: string | undefined): TokenKind {
    if (token === undefined || token === '') return 'none';
    if (token === this.#options.botToken) return 'bot';
    if (token === this.#options.appToken) return 'app';
    return 'invalid';
  }
}

/** Slack: HTTP 429, Retry-After in whole seconds, body { ok: false, error: 'ratelimited' }. */
function rateLimited(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { ok: false, error: 'ratelimited' },
  };
}

function failure(error: string, extra: Readonly<Record<string, unknown>> = {}): Reply {
  return { status: 200, headers: {}, body: { ok: false, error, ...extra } };
}

/** Tokens never sit in the log of requests a test may print. */
function redactToken(params: Record<string, unknown>): Record<string, unknown> {
  if (!('token' in params)) return params;
  const { token: _token, ...rest } = params;
  return rest;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
