import { REST, RESTEvents } from 'discord.js';
import type { APIRequest, ResponseLike } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { PlatformWrite, PlatformWriteResult } from '../../../../src/core/ports/telemetry.js';
import { tellRestResponses, writeKindOf } from '../../../../src/platforms/discord/rest-telemetry.js';

// Routes as discord.js reports them in its 'response' event: ids are :id, a webhook token :token.
const request = (method: string, route: string): APIRequest =>
  ({ method, route, path: route, options: {}, data: {}, retries: 0 }) as unknown as APIRequest;
const response = (status: number) => ({ status, headers: new Headers() }) as unknown as ResponseLike;

describe('writeKindOf', () => {
  it.each([
    ['POST', '/channels/:id/messages', 'post'],
    ['PATCH', '/channels/:id/messages/:id', 'edit'],
    ['DELETE', '/channels/:id/messages/:id', 'delete'],
    ['DELETE', '/channels/:id/messages/:id/Delete Old Message', 'delete'],
    ['POST', '/webhooks/:id/:token', 'post'],
    ['PATCH', '/webhooks/:id/:token/messages/@original', 'edit'],
    ['PATCH', '/webhooks/:id/:token/messages/:id', 'edit'],
    ['DELETE', '/webhooks/:id/:token/messages/:id', 'delete'],
    ['POST', '/interactions/:id/:token/callback', 'callback'],
    ['PUT', '/applications/:id/commands', 'other'],
    ['PATCH', '/channels/:id', 'other'],
    ['post', '/channels/:id/messages', 'post'],
  ] as const)('%s %s is a %s', (method, route, kind) => {
    expect(writeKindOf(request(method, route))).toBe(kind);
  });

  it('leaves reads out', () => {
    expect(writeKindOf(request('GET', '/channels/:id/messages/:id'))).toBeUndefined();
    expect(writeKindOf(request('GET', '/gateway/bot'))).toBeUndefined();
  });
});

describe('tellRestResponses', () => {
  function told() {
    const rest = new REST();
    const writes: [PlatformWrite, PlatformWriteResult][] = [];
    let rateLimited = 0;
    const stop = tellRestResponses(rest, {
      platformWrite: (kind, result) => writes.push([kind, result]),
      platformRateLimited: () => (rateLimited += 1),
    });
    const respond = (method: string, route: string, status: number) =>
      rest.emit(RESTEvents.Response, request(method, route), response(status));
    return { writes, rateLimited: () => rateLimited, respond, stop };
  }

  it('tells every write by kind and result, and every 429 whatever the request', () => {
    const { writes, rateLimited, respond } = told();
    respond('POST', '/channels/:id/messages', 200);
    respond('PATCH', '/channels/:id/messages/:id', 429);
    respond('PATCH', '/channels/:id/messages/:id', 200);
    respond('DELETE', '/channels/:id/messages/:id', 204);
    respond('PATCH', '/webhooks/:id/:token/messages/@original', 401);
    respond('POST', '/channels/:id/messages', 500);
    respond('GET', '/channels/:id/messages/:id', 429);

    expect(writes).toEqual([
      ['post', 'ok'],
      ['edit', 'rate_limited'],
      ['edit', 'ok'],
      ['delete', 'ok'],
      ['edit', 'error'],
      ['post', 'error'],
    ]);
    expect(rateLimited()).toBe(2);
  });

  it('stops telling once stopped', () => {
    const { writes, respond, stop } = told();
    stop();
    respond('POST', '/channels/:id/messages', 200);
    expect(writes).toEqual([]);
  });
});
