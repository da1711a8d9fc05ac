import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DiscordHttpError, invalidJson, notFound, unauthorized } from './errors.js';
import type { RateLimiter, RateLimitOutcome } from './rate-limits.js';
import { majorParameter, type RouteMatch, type Router, type RouteServices } from './router.js';
import type { RecordedRequest } from './types.js';

export const API_PREFIX = '/api/v10';

export interface RestServerOptions {
  readonly router: Router;
  readonly services: RouteServices;
  readonly limiter: RateLimiter;
  /** If set, the only token accepted; otherwise any `Bot <token>` is. */
  readonly token: string | undefined;
  /** Read per request, so tests can change the latency of a running fake. */
  readonly latencyMs: () => number;
  /** Called right after each response is written, in the same tick. */
  readonly onResponse: (request: RecordedRequest) => void;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Incoming {
  readonly method: string;
  /** Below /api/v10 when `versioned`, else the full path as it came. */
  readonly path: string;
  readonly versioned: boolean;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly bodyError: DiscordHttpError | undefined;
  readonly at: number;
}

/** The HTTP half of the fake: match, authenticate, rate-limit, handle, delay, write, record. */
export class RestServer {
  readonly #options: RestServerOptions;
  readonly #delayed = new Set<NodeJS.Timeout>();

  constructor(options: RestServerOptions) {
    this.#options = options;
  }

  /** For http.Server's 'request' event; never rejects (a fake bug becomes a 500). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const incoming = parseIncoming(req, await readBody(req), at);
    const match = incoming.versioned ? this.#options.router.match(incoming.method, incoming.path) : undefined;
    const reply = await this.#reply(req.headers, incoming, match);
    this.#respondLater(res, reply, () => this.#record(req.headers, incoming, match, reply));
  }

  /** Cancels responses still waiting out their latency: the fake is shutting down. */
  close(): void {
    for (const timer of this.#delayed) clearTimeout(timer);
    this.#delayed.clear();
  }

  async #reply(headers: IncomingHttpHeaders, incoming: Incoming, match: RouteMatch | undefined): Promise<Reply> {
    if (match === undefined) return errorReply(notFound(), {});
    if (match.route.auth !== false && !this.#authorized(headers.authorization)) return errorReply(unauthorized(), {});

    const limited = this.#rateLimit(match);
    if (limited.limited) return rateLimitedReply(limited);
    if (incoming.bodyError !== undefined) return errorReply(incoming.bodyError, limited.headers);

    try {
      const { params, route } = match;
      const { query, body } = incoming;
      const result = await route.handle({ params, query, body, services: this.#options.services });
      const contentType: Record<string, string> =
        result.body === undefined ? {} : { 'Content-Type': 'application/json' };
      return { status: result.status, headers: { ...limited.headers, ...contentType }, body: result.body };
    } catch (error: unknown) {
      if (error instanceof DiscordHttpError) return errorReply(error, limited.headers);
      const message = error instanceof Error ? error.message : String(error);
      return errorReply(new DiscordHttpError(500, { code: 0, message: `fake-discord bug: ${message}` }), {});
    }
  }

  #authorized(authorization: string | undefined): boolean {
    const token = authorization?.startsWith('Bot ') === true ? authorization.slice(4) : '';
    return token !== '' && (this.#options.token === undefined || token === this.#options.token);
  }

  /** Global first (every request counts there), then the route's own bucket. */
  #rateLimit(match: RouteMatch): RateLimitOutcome {
    const { limiter } = this.#options;
    if (match.route.globalExempt !== true) {
      const global = limiter.takeGlobal();
      if (global.limited) return global;
    }
    if (match.route.bucket === undefined) return { limited: false, headers: {} };
    return limiter.takeBucket(match.route.bucket, majorParameter(match.params));
  }

  /** The latency is the network: state changed already, only the answer is late. */
  #respondLater(res: ServerResponse, reply: Reply, afterWrite: () => void): void {
    const write = (): void => {
      const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
      res.writeHead(reply.status, reply.headers);
      res.end(payload);
      afterWrite();
    };
    const latency = this.#options.latencyMs();
    if (latency <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      this.#delayed.delete(timer);
      write();
    }, latency);
    this.#delayed.add(timer);
  }

  #channelOf(incoming: Incoming, match: RouteMatch | undefined): string | undefined {
    if (match === undefined) return /\/channels\/(\d+)/.exec(incoming.path)?.[1];
    return match.params['channelId'] ?? match.route.channelOf?.(match.params, this.#options.services);
  }

  #record(headers: IncomingHttpHeaders, incoming: Incoming, match: RouteMatch | undefined, reply: Reply): void {
    this.#options.onResponse({
      method: incoming.method,
      path: incoming.path,
      query: incoming.query.toString(),
      route: match?.label,
      channelId: this.#channelOf(incoming, match),
      body: incoming.body,
      status: reply.status,
      headers: reply.headers,
      requestHeaders: flattenHeaders(headers),
      responseBody: reply.body,
      at: incoming.at,
      respondedAt: performance.now(),
    });
  }
}

function parseIncoming(req: IncomingMessage, raw: string, at: number): Incoming {
  const url = new URL(req.url ?? '/', 'http://fake-discord');
  const versioned = url.pathname.startsWith(`${API_PREFIX}/`);
  const path = versioned ? url.pathname.slice(API_PREFIX.length) : url.pathname;
  const isJson = req.headers['content-type']?.startsWith('application/json') === true;
  let body: unknown;
  let bodyError: DiscordHttpError | undefined;
  if (isJson && raw.length > 0) {
    try {
      body = JSON.parse(raw);
    } catch {
      bodyError = invalidJson();
    }
  }
  return { method: req.method ?? 'GET', path, versioned, query: url.searchParams, body, bodyError, at };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function errorReply(error: DiscordHttpError, headers: Record<string, string>): Reply {
  return { status: error.status, headers: { ...headers, 'Content-Type': 'application/json' }, body: error.body };
}

function rateLimitedReply(outcome: Extract<RateLimitOutcome, { limited: true }>): Reply {
  return {
    status: 429,
    headers: { ...outcome.headers, 'Content-Type': 'application/json' },
    body: {
      message: 'You are being rate limited.',
      retry_after: outcome.retryAfterSeconds,
      global: outcome.scope === 'global',
    },
  };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
