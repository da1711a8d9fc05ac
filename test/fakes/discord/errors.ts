/** One entry of Discord's nested `errors` tree, e.g. `{ content: { _errors: [...] } }`. */
export interface FieldError {
  readonly code: string;
  readonly message: string;
}

export interface ErrorTree {
  readonly [key: string]: ErrorTree | readonly FieldError[];
}

export interface DiscordErrorBody {
  readonly code: number;
  readonly message: string;
  readonly errors?: ErrorTree;
}

/**
 * Thrown by route handlers; the server turns it into Discord's JSON error shape, which
 * discord.js parses into a DiscordAPIError with `.code` and `.status`.
 */
export class DiscordHttpError extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;

  constructor(status: number, body: DiscordErrorBody) {
    super(`${status} ${body.code}: ${body.message}`);
    this.name = 'DiscordHttpError';
    this.status = status;
    this.body = body;
  }
}

export const unknownChannel = (): DiscordHttpError =>
  new DiscordHttpError(404, { code: 10003, message: 'Unknown Channel' });

export const unknownMessage = (): DiscordHttpError =>
  new DiscordHttpError(404, { code: 10008, message: 'Unknown Message' });

export const unknownUser = (): DiscordHttpError => new DiscordHttpError(404, { code: 10013, message: 'Unknown User' });

export const emptyMessage = (): DiscordHttpError =>
  new DiscordHttpError(400, { code: 50006, message: 'Cannot send an empty message' });

export const notMessageAuthor = (): DiscordHttpError =>
  new DiscordHttpError(403, { code: 50005, message: 'Cannot edit a message authored by another user' });

export const unauthorized = (): DiscordHttpError =>
  new DiscordHttpError(401, { code: 0, message: '401: Unauthorized' });

export const notFound = (): DiscordHttpError => new DiscordHttpError(404, { code: 0, message: '404: Not Found' });

export const invalidJson = (): DiscordHttpError =>
  new DiscordHttpError(400, { code: 50109, message: 'The request body contains invalid JSON.' });

/** 50035 with one field error at `path` (e.g. ['embeds', '0', 'description']). */
export function invalidFormBody(path: readonly string[], error: FieldError): DiscordHttpError {
  return invalidFormBodyErrors([{ path, error }]);
}

/** A field error and where it is; an empty path puts it at the top of the tree. */
export interface LocatedFieldError {
  readonly path: readonly string[];
  readonly error: FieldError;
}

/**
 * 50035 with every error merged into one tree, as Discord reports a whole invalid body at once
 * (e.g. `{ '0': { name: { _errors: [...] } }, '2': { description: { _errors: [...] } } }`).
 */
export function invalidFormBodyErrors(errors: readonly LocatedFieldError[]): DiscordHttpError {
  const root: MutableTree = {};
  for (const { path, error } of errors) {
    let node = root;
    for (const key of path) {
      const child = node[key];
      const next: MutableTree = child === undefined || Array.isArray(child) ? {} : child;
      node[key] = next;
      node = next;
    }
    const existing = node['_errors'];
    node['_errors'] = Array.isArray(existing) ? [...existing, error] : [error];
  }
  return new DiscordHttpError(400, { code: 50035, message: 'Invalid Form Body', errors: root });
}

interface MutableTree {
  [key: string]: MutableTree | FieldError[];
}

export const missingPermissions = (): DiscordHttpError =>
  new DiscordHttpError(403, { code: 50013, message: 'Missing Permissions' });

export const unknownGuild = (): DiscordHttpError =>
  new DiscordHttpError(404, { code: 10004, message: 'Unknown Guild' });

export const missingAccess = (): DiscordHttpError =>
  new DiscordHttpError(403, { code: 50001, message: 'Missing Access' });

/** A callback for an interaction that does not exist, or no longer accepts its first response. */
export const unknownInteraction = (): DiscordHttpError =>
  new DiscordHttpError(404, { code: 10062, message: 'Unknown interaction' });

export const alreadyAcknowledged = (): DiscordHttpError =>
  new DiscordHttpError(400, { code: 40060, message: 'Interaction has already been acknowledged.' });

/** What the interaction webhook routes answer once the 15-minute token has lapsed. */
export const invalidWebhookToken = (): DiscordHttpError =>
  new DiscordHttpError(401, { code: 50027, message: 'Invalid Webhook Token' });

export const unknownWebhook = (): DiscordHttpError =>
  new DiscordHttpError(404, { code: 10015, message: 'Unknown Webhook' });

/** A reply (message_reference) from a bot without Read Message History in the channel. */
export const replyWithoutHistory = (): DiscordHttpError =>
  new DiscordHttpError(403, {
    code: 160002,
    message: 'Cannot reply without permission to read message history',
  });
