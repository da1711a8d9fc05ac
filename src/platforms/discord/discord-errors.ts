import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import {
  ExpiredError,
  ForbiddenError,
  GoneError,
  PlatformError,
  RateLimitedError,
  TransientError,
} from '../../core/reply/platform-errors.js';

// The one place where Discord's errors become the core's: by class, then by Discord's JSON code, then
// by HTTP status. Anything not listed (a malformed request is our bug) passes through unchanged.

type CoreErrorClass = new (message: string, options: { cause: unknown }) => PlatformError;

const BY_CODE: ReadonlyMap<number, CoreErrorClass> = new Map<number, CoreErrorClass>([
  [RESTJSONErrorCodes.UnknownMessage, GoneError],
  [RESTJSONErrorCodes.UnknownChannel, GoneError],
  [RESTJSONErrorCodes.UnknownGuild, GoneError],
  [RESTJSONErrorCodes.MissingAccess, ForbiddenError],
  [RESTJSONErrorCodes.MissingPermissions, ForbiddenError],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, ForbiddenError],
  [RESTJSONErrorCodes.CannotReplyWithoutPermissionToReadMessageHistory, ForbiddenError],
  [RESTJSONErrorCodes.InvalidActionOnArchivedThread, ForbiddenError],
  [RESTJSONErrorCodes.ThreadLocked, ForbiddenError],
  // The interaction's 3 s for a first response, or its token's 15 minutes, have passed.
  [RESTJSONErrorCodes.UnknownInteraction, ExpiredError],
  [RESTJSONErrorCodes.UnknownWebhook, ExpiredError],
  [RESTJSONErrorCodes.InvalidWebhookToken, ExpiredError],
]);

// Socket-level failures, by the codes Node and undici give them (never by message text).
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Rewrites a Discord error into the core's terms; anything else passes through. */
export function toCoreError(error: unknown): unknown {
  if (error instanceof PlatformError) return error;
  const Mapped = classOf(error);
  if (Mapped === null) return error;
  const message = error instanceof Error && error.message !== '' ? error.message : Mapped.name;
  return new Mapped(message, { cause: error });
}

function classOf(error: unknown): CoreErrorClass | null {
  if (error instanceof RateLimitError) return RateLimitedError;
  if (error instanceof DiscordAPIError) {
    const byCode = typeof error.code === 'number' ? BY_CODE.get(error.code) : undefined;
    return byCode ?? classOfStatus(error.status);
  }
  if (error instanceof HTTPError) return classOfStatus(error.status);
  return isNetworkFailure(error) ? TransientError : null;
}

function classOfStatus(status: number): CoreErrorClass | null {
  if (status === 429) return RateLimitedError;
  if (status >= 500) return TransientError;
  return null;
}

// @discordjs/rest aborts a request after its timeout (an AbortError) and rethrows socket errors once
// its own retries are spent; undici may wrap the socket's error as the cause.
function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || hasNetworkCode(error)) return true;
  return error.cause instanceof Error && hasNetworkCode(error.cause);
}

function hasNetworkCode(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** Runs a Discord call, rewriting its error for the core. */
export async function coreErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCoreError(error);
  }
}
