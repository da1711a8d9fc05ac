import { RESTEvents } from 'discord.js';
import type { APIRequest, REST, ResponseLike } from 'discord.js';
import type { PlatformWrite, PlatformWriteResult, Telemetry } from '../../core/ports/telemetry.js';

// Tells of every Discord response the bot's REST client receives: each write by kind and result, and
// every 429 (discord.js waits and sends the request again by itself, so a 429 never reaches the core).
// discord.js reports each attempt, so a write refused with 429 and then sent again counts twice:
// once rate limited, once as it ended. A request that got no response at all (the network failed) is
// not a response; the answer it belonged to tells of it as an error (observed-target.ts).

const CALLBACK_ROUTE = '/interactions/:id/:token/callback';
// Message routes in discord.js's bucket form (ids are :id): a channel's messages (an old message's
// deletion has a bucket of its own), an interaction's follow-ups and its messages (@original too).
const MESSAGE_ROUTES: readonly RegExp[] = [
  /^\/channels\/:id\/messages(?:\/:id(?:\/Delete Old Message)?)?$/,
  /^\/webhooks\/:id\/:token(?:\/messages\/[^/]+)?$/,
];

/** What a request writes, or undefined for a read. */
export function writeKindOf(request: Pick<APIRequest, 'method' | 'route'>): PlatformWrite | undefined {
  const method = request.method.toUpperCase();
  if (method === 'GET') return undefined;
  if (request.route === CALLBACK_ROUTE) return 'callback';
  if (!MESSAGE_ROUTES.some((route) => route.test(request.route))) return 'other';
  if (method === 'POST') return 'post';
  if (method === 'PATCH') return 'edit';
  if (method === 'DELETE') return 'delete';
  return 'other';
}

export function resultOf(status: number): PlatformWriteResult {
  if (status === 429) return 'rate_limited';
  return status >= 200 && status < 300 ? 'ok' : 'error';
}

export function tellRestResponses(
  rest: REST,
  telemetry: Pick<Telemetry, 'platformWrite' | 'platformRateLimited'>,
): () => void {
  const onResponse = (request: APIRequest, response: ResponseLike) => {
    if (response.status === 429) telemetry.platformRateLimited();
    const kind = writeKindOf(request);
    if (kind !== undefined) telemetry.platformWrite(kind, resultOf(response.status));
  };
  rest.on(RESTEvents.Response, onResponse);
  return () => void rest.off(RESTEvents.Response, onResponse);
}
