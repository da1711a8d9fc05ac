import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  ExpiredError,
  ForbiddenError,
  GoneError,
  PlatformError,
  RateLimitedError,
  TransientError,
} from '../../../../src/core/reply/platform-errors.js';
import { coreErrors, toCoreError } from '../../../../src/platforms/discord/discord-errors.js';

// discord.js's own error classes, built the way @discordjs/rest builds them from a response.

const URL = 'https://discord.com/api/v10/webhooks/123456789012345678/secret-token/messages/@original';
const body = { files: undefined, body: { content: 'what the user asked' } };

function apiError(code: number, status: number, message = 'Discord says no'): DiscordAPIError {
  return new DiscordAPIError({ code, message }, code, status, 'PATCH', URL, body);
}

function rateLimitError(): RateLimitError {
  return new RateLimitError({
    timeToReset: 1000,
    limit: 5,
    method: 'PATCH',
    hash: 'hash',
    url: URL,
    route: '/channels/:id/messages/:id',
    majorParameter: '123',
    global: false,
    retryAfter: 1000,
    sublimitTimeout: 0,
    scope: 'user',
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error('socket trouble'), { code });
}

describe('toCoreError maps Discord errors to the core’s', () => {
  it.each([
    ['10008 Unknown Message', RESTJSONErrorCodes.UnknownMessage, 404, GoneError],
    ['10003 Unknown Channel', RESTJSONErrorCodes.UnknownChannel, 404, GoneError],
    ['50001 Missing Access', RESTJSONErrorCodes.MissingAccess, 403, ForbiddenError],
    ['50013 Missing Permissions', RESTJSONErrorCodes.MissingPermissions, 403, ForbiddenError],
    ['160002 reply without Read Message History', 160002, 403, ForbiddenError],
    ['50083 archived thread', RESTJSONErrorCodes.InvalidActionOnArchivedThread, 400, ForbiddenError],
    ['10062 Unknown interaction', RESTJSONErrorCodes.UnknownInteraction, 404, ExpiredError],
    ['10015 Unknown Webhook', RESTJSONErrorCodes.UnknownWebhook, 404, ExpiredError],
    ['50027 Invalid Webhook Token', RESTJSONErrorCodes.InvalidWebhookToken, 401, ExpiredError],
  ])('%s', (_, code, status, expected) => {
    const error = apiError(code, status);
    const mapped = toCoreError(error);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped).toBeInstanceOf(PlatformError);
    expect((mapped as Error).message).toBe('Discord says no');
    // The original stays reachable as the cause, for the log.
    expect((mapped as Error).cause).toBe(error);
  });

  it('gives each class its kind', () => {
    const kinds = [
      apiError(10008, 404),
      apiError(50013, 403),
      apiError(10062, 404),
      rateLimitError(),
      new HTTPError(502, 'Bad Gateway', 'PATCH', URL, body),
    ].map((error) => (toCoreError(error) as PlatformError).kind);
    expect(kinds).toEqual(['gone', 'forbidden', 'expired', 'rate_limited', 'transient']);
  });

  it('maps a rejected rate limit, and a 429 that reached us as an API error, to RateLimitedError', () => {
    expect(toCoreError(rateLimitError())).toBeInstanceOf(RateLimitedError);
    expect(toCoreError(apiError(0, 429, 'You are being rate limited.'))).toBeInstanceOf(RateLimitedError);
  });

  it('maps 5xx (HTTPError, or an API error with a 5xx status) to TransientError', () => {
    expect(toCoreError(new HTTPError(500, 'Internal Server Error', 'POST', URL, body))).toBeInstanceOf(TransientError);
    expect(toCoreError(apiError(0, 503, 'Service Unavailable'))).toBeInstanceOf(TransientError);
  });

  it('maps network failures by their code, the REST timeout by its name', () => {
    expect(toCoreError(networkError('ECONNRESET'))).toBeInstanceOf(TransientError);
    expect(toCoreError(networkError('UND_ERR_SOCKET'))).toBeInstanceOf(TransientError);
    const wrapped = new TypeError('fetch failed', { cause: networkError('ECONNREFUSED') });
    expect(toCoreError(wrapped)).toBeInstanceOf(TransientError);
    expect(toCoreError(new DOMException('This operation was aborted', 'AbortError'))).toBeInstanceOf(TransientError);
  });

  it('passes through what the core cannot act on: our own bad requests, bugs, non-errors', () => {
    const invalidBody = apiError(50035, 400, 'Invalid Form Body');
    const notAllowed = apiError(50005, 403, 'Cannot edit a message authored by another user');
    const bug = new TypeError('x is not a function');
    const other = networkError('ENOSPC');
    for (const error of [invalidBody, notAllowed, bug, other, 'a string']) expect(toCoreError(error)).toBe(error);
    expect(toCoreError(new HTTPError(404, 'Not Found', 'GET', URL, body))).toBeInstanceOf(HTTPError);
  });

  it('leaves an error that is already the core’s alone', () => {
    const gone = new GoneError('gone');
    expect(toCoreError(gone)).toBe(gone);
  });
});

describe('coreErrors', () => {
  it('resolves with the call’s value and rejects with the mapped error', async () => {
    await expect(coreErrors(() => Promise.resolve(7))).resolves.toBe(7);
    await expect(coreErrors(() => Promise.reject(apiError(10008, 404)))).rejects.toBeInstanceOf(GoneError);
  });
});
