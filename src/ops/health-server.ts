import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/ports/logger.js';
import type { Readiness } from './readiness.js';

// The operations endpoints on plain node:http: /healthz (the process and its event loop answer: never
// asks Discord, Claude or the storage), /readyz (200 or 503 with the reasons, as JSON) and /metrics
// (Prometheus text). Anything else is 404; a method other than GET or HEAD on them 405.

export interface HealthRoutes {
  readiness(): Promise<Readiness>;
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
}

export interface HealthServerOptions {
  /** 0: any free port (the bound one is in `url`). */
  readonly port: number;
  readonly host: string;
  readonly routes: HealthRoutes;
  readonly logger: Logger;
}

export interface HealthServer {
  /** Where it listens, e.g. http://127.0.0.1:9464. */
  readonly url: string;
  close(): Promise<void>;
}

const PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Listens; rejects with a clear message when it cannot (the port is taken, say). */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { routes, logger } = options;
  const server = createServer((request, response) => {
    handle(request, response, routes).catch((error: unknown) => {
      logger.error({ err: error, path: request.url }, 'health endpoint failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(options, error)));
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => logger.error({ err: error }, 'health server error'));
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection would hold close() open until it times out.
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, routes: HealthRoutes): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://health').pathname;
  if (!PATHS.has(path)) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/healthz') return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (path === '/readyz') {
    const readiness = await routes.readiness();
    const body = `${JSON.stringify({ ready: readiness.ready, reasons: readiness.reasons })}\n`;
    return send(response, readiness.ready ? 200 : 503, 'application/json', body);
  }
  const metrics = await routes.metrics();
  return send(response, 200, metrics.contentType, metrics.body);
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

const LISTEN_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'this machine has no such address',
};

function listenError(options: HealthServerOptions, error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const problem = LISTEN_PROBLEMS[code] ?? error.message;
  return new Error(`Cannot serve health and metrics on ${options.host}:${options.port}: ${problem}`, {
    cause: error,
  });
}
