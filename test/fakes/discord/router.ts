import type { BucketName } from './rate-limits.js';
import type { InteractionTimeouts } from './interactions.js';
import type { CommandsRegisteredEvent, InteractionCallbackEvent, StoredMessage, ThreadCreatedEvent } from './types.js';
import type { GuildChannelRecord, World } from './world.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What handlers may touch: the world, its clocks, and the feed that turns changes into events. */
export interface RouteServices {
  readonly world: World;
  readonly gatewayUrl: () => string;
  /** What GET /gateway/bot recommends as `shards`. */
  readonly recommendedShards: number;
  /** Read per request: tests may change them on a running fake. */
  readonly interactionTimeouts: () => InteractionTimeouts;
  readonly publish: {
    created(message: StoredMessage): void;
    updated(message: StoredMessage): void;
    deleted(message: StoredMessage): void;
    interactionCallback(event: InteractionCallbackEvent): void;
    commandsRegistered(event: CommandsRegisteredEvent): void;
    threadCreated(thread: GuildChannelRecord, event: ThreadCreatedEvent): void;
  };
}

export interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  readonly body: unknown;
  readonly services: RouteServices;
}

export interface RouteResponse {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * One entry of the route table. Adding an endpoint (interactions, webhooks, commands) is
 * adding one of these: the server does matching, auth, rate limits, latency and recording.
 */
export interface RouteDefinition {
  readonly method: HttpMethod;
  /** Path below /api/v10 with `:name` parameters, e.g. '/channels/:channelId/messages'. */
  readonly pattern: string;
  /** Per-major-parameter bucket; routes without one send no X-RateLimit-* headers. */
  readonly bucket?: BucketName;
  /** Discord exempts interaction endpoints from the global limit. */
  readonly globalExempt?: boolean;
  /**
   * false for routes authorised by a token in the path (interaction callback and webhooks):
   * discord.js sends them without an Authorization header (`auth: false`).
   */
  readonly auth?: boolean;
  /** The channel a request concerns when the path does not name it, for `RecordedRequest.channelId`. */
  readonly channelOf?: (params: Readonly<Record<string, string>>, services: RouteServices) => string | undefined;
  /** Throws DiscordHttpError for Discord's error responses. */
  readonly handle: (context: RouteContext) => RouteResponse | Promise<RouteResponse>;
}

export const ok = (body: unknown): RouteResponse => ({ status: 200, body });
export const noContent: RouteResponse = { status: 204 };

/** A path parameter the route pattern guarantees; a missing one is a bug in the route table. */
export function param(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`fake-discord: route has no :${name} parameter`);
  return value;
}

export interface RouteMatch {
  readonly route: RouteDefinition;
  /** e.g. 'PATCH /channels/:id/messages/:id', the form RecordedRequest.route uses. */
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly label: string;
  readonly regex: RegExp;
  readonly paramNames: readonly string[];
}

export class Router {
  readonly #compiled: readonly CompiledRoute[];

  constructor(routes: readonly RouteDefinition[]) {
    this.#compiled = routes.map(compile);
  }

  /** The first route (in table order) that matches; put literal segments like @me first. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const compiled of this.#compiled) {
      if (compiled.route.method !== method) continue;
      const found = compiled.regex.exec(path);
      if (found === null) continue;
      const params: Record<string, string> = {};
      compiled.paramNames.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { route: compiled.route, label: compiled.label, params };
    }
    return undefined;
  }
}

/**
 * The major parameter that scopes a bucket, as on Discord: the channel for channel routes,
 * then guild, then webhook — with its token when the path has one, so every interaction token
 * has its own bucket (@discordjs/rest keys its queues the same way).
 */
export function majorParameter(params: Readonly<Record<string, string>>): string {
  const webhookId = params['webhookId'];
  const token = params['token'];
  const webhook = webhookId !== undefined && token !== undefined ? `${webhookId}/${token}` : webhookId;
  return params['channelId'] ?? params['guildId'] ?? webhook ?? '';
}

function compile(route: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return escapeRegex(segment);
      paramNames.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  // Ids become :id and a token stays :token, the way @discordjs/rest names its bucket routes.
  const label = `${route.method} ${route.pattern.replace(/:(\w+)/g, (_, name: string) => (name === 'token' ? ':token' : ':id'))}`;
  return { route, label, regex: new RegExp(`^${source}/?$`), paramNames };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
