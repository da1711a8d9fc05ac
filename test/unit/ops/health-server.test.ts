import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/ports/logger.js';
import { startHealthServer } from '../../../src/ops/health-server.js';
import type { HealthRoutes, HealthServer } from '../../../src/ops/health-server.js';
import type { Readiness } from '../../../src/ops/readiness.js';

// The server over real HTTP on a free loopback port.

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const servers: HealthServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(routes: Partial<HealthRoutes> = {}, port = 0): Promise<HealthServer> {
  const server = await startHealthServer({
    port,
    host: '127.0.0.1',
    logger: silent,
    routes: {
      readiness: () => Promise.resolve({ ready: true, reasons: [] }),
      metrics: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' }),
      ...routes,
    },
  });
  servers.push(server);
  return server;
}

async function get(url: string, method = 'GET') {
  const response = await fetch(url, { method });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('the health server', () => {
  it('listens on the port asked for, or any free one for 0, and says where', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(server.url).port)).toBeGreaterThan(0);
  });

  it('/healthz answers 200 without asking anything else', async () => {
    const failing = () => Promise.reject(new Error('must not be asked'));
    const server = await start({ readiness: failing, metrics: failing });
    expect(await get(`${server.url}/healthz`)).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      body: 'ok\n',
    });
  });

  it('/readyz answers 200 when ready and 503 with the reasons as JSON when not', async () => {
    let readiness: Readiness = { ready: true, reasons: [] };
    const server = await start({ readiness: () => Promise.resolve(readiness) });
    expect(await get(`${server.url}/readyz`)).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"ready":true,"reasons":[]}\n',
    });

    readiness = { ready: false, reasons: ['shard 0: connecting'] };
    const notReady = await get(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ ready: false, reasons: ['shard 0: connecting'] });
  });

  it('/metrics serves the registry text with its content type; a query string changes nothing', async () => {
    const server = await start();
    expect(await get(`${server.url}/metrics?x=1`)).toEqual({
      status: 200,
      type: 'text/plain; version=0.0.4; charset=utf-8',
      body: 'up 1\n',
    });
  });

  it('answers 404 for any other path, 405 for another method, and HEAD without a body', async () => {
    const server = await start();
    expect((await get(`${server.url}/`)).status).toBe(404);
    expect((await get(`${server.url}/healthz/more`)).status).toBe(404);
    expect((await get(`${server.url}/metrics`, 'POST')).status).toBe(405);
    expect(await get(`${server.url}/healthz`, 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('answers 500 when a route fails, and keeps serving', async () => {
    const server = await start({ metrics: () => Promise.reject(new Error('registry broke')) });
    expect(await get(`${server.url}/metrics`)).toMatchObject({ status: 500, body: 'internal error\n' });
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses to start on a port in use, saying so', async () => {
    const taken = await start();
    const port = Number(new URL(taken.url).port);
    await expect(start({}, port)).rejects.toThrow(
      `Cannot serve health and metrics on 127.0.0.1:${port}: the port is already in use`,
    );
  });

  it('closes even while a request is still being answered', async () => {
    let asked: () => void = () => {};
    const readinessAsked = new Promise<void>((resolve) => (asked = resolve));
    const server = await start({
      readiness: () => {
        asked();
        return new Promise<never>(() => {});
      },
    });
    const pending = fetch(`${server.url}/readyz`);
    await readinessAsked;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
