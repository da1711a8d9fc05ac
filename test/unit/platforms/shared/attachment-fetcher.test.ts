import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';
import type { DownloadFailure } from '../../../../src/core/prompt/attachment-problem.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAttachmentFetcher, fileOrigins } from '../../../../src/platforms/shared/attachment-fetcher.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface LoopbackServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: string[];
}

const servers: Server[] = [];

// A real server on a free loopback port that records every request it gets.
async function serve(handler: Handler): Promise<LoopbackServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

const CAP = 1000;

function fetcherFor(origins: readonly string[], timeoutMs = 10_000) {
  return createAttachmentFetcher({ trustedOrigins: new Set(origins), timeoutMs, maxBytes: CAP });
}

async function refusal(download: Promise<unknown>): Promise<{ reason: DownloadFailure; status?: number }> {
  const error = await download.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof AttachmentDownloadError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.status === undefined ? { reason: error.failure } : { reason: error.failure, status: error.status };
}

describe('createAttachmentFetcher', () => {
  it('downloads a trusted attachment with its content type', async () => {
    const cdn = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([1, 2, 3]));
    });
    const downloaded = await fetcherFor([cdn.origin])(`${cdn.origin}/attachments/1/2/a.png?ex=1`);
    expect(downloaded).toEqual({ bytes: Buffer.from([1, 2, 3]), contentType: 'image/png' });
    expect(cdn.requests).toEqual(['/attachments/1/2/a.png?ex=1']);
  });

  it('refuses other hosts, ports, schemes and URLs with userinfo without a single request', async () => {
    const cdn = await serve((_request, response) => response.end('ok'));
    const other = await serve((_request, response) => response.end('ok'));
    const fetchAttachment = fetcherFor([cdn.origin]);
    const refused = [
      `http://localhost:${cdn.port}/a.png`, // another host name, same port
      `http://127.0.0.1:${other.port}/a.png`, // same host, another port
      `https://127.0.0.1:${cdn.port}/a.png`, // another scheme
      `http://user:secret@127.0.0.1:${cdn.port}/a.png`,
      `http://user@127.0.0.1:${cdn.port}/a.png`,
      `http://127.0.0.1:${cdn.port}@127.0.0.1:${other.port}/a.png`,
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of refused) {
      expect({ url, ...(await refusal(fetchAttachment(url))) }).toEqual({ url, reason: 'untrusted_host' });
    }
    expect([...cdn.requests, ...other.requests]).toEqual([]);
  });

  it('refuses a redirect to an untrusted host, follows one within a trusted host, and stops a loop', async () => {
    const other = await serve((_request, response) => response.end('elsewhere'));
    const cdn = await serve((request, response) => {
      if (request.url === '/away') response.writeHead(302, { location: `${other.origin}/x` }).end();
      else if (request.url === '/moved') response.writeHead(301, { location: '/here' }).end();
      else if (request.url === '/loop') response.writeHead(307, { location: '/loop' }).end();
      else response.end('here');
    });
    const fetchAttachment = fetcherFor([cdn.origin]);
    expect(await refusal(fetchAttachment(`${cdn.origin}/away`))).toEqual({ reason: 'untrusted_host' });
    expect(other.requests).toEqual([]);
    expect((await fetchAttachment(`${cdn.origin}/moved`)).bytes.toString()).toBe('here');
    expect(await refusal(fetchAttachment(`${cdn.origin}/loop`))).toEqual({ reason: 'network' });
    // The first request and three redirects.
    expect(cdn.requests.filter((url) => url === '/loop')).toHaveLength(4);
  });

  it('refuses a Content-Length over the cap before reading the body', async () => {
    // The body never comes: reading it would end in a timeout, not in too_large.
    const cdn = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(CAP + 1) }).flushHeaders();
    });
    expect(await refusal(fetcherFor([cdn.origin])(`${cdn.origin}/big`))).toEqual({ reason: 'too_large' });
  });

  it('aborts a body without Content-Length as soon as it passes the cap', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const cdn = await serve((_request, response) => {
      closed = once(response, 'close');
      // More than the cap, then the server stalls: only counting the bytes ends this download.
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(Buffer.alloc(CAP / 2));
      response.write(Buffer.alloc(CAP));
    });
    expect(await refusal(fetcherFor([cdn.origin])(`${cdn.origin}/lies`))).toEqual({ reason: 'too_large' });
    await closed; // the connection was dropped, so the server stops sending
  });

  it('accepts a body of exactly the cap', async () => {
    const cdn = await serve((_request, response) => response.end(Buffer.alloc(CAP)));
    expect((await fetcherFor([cdn.origin])(`${cdn.origin}/fits`)).bytes).toHaveLength(CAP);
  });

  it('times out a body that stalls, and headers that never come', async () => {
    const cdn = await serve((request, response) => {
      if (request.url === '/slow-body') response.writeHead(200).write('a few bytes');
    });
    const fetchAttachment = fetcherFor([cdn.origin], 150);
    expect(await refusal(fetchAttachment(`${cdn.origin}/slow-body`))).toEqual({ reason: 'timeout' });
    expect(await refusal(fetchAttachment(`${cdn.origin}/no-headers`))).toEqual({ reason: 'timeout' });
  });

  it('stops when the caller aborts, and starts nothing when it already has', async () => {
    const cdn = await serve((_request, response) => response.writeHead(200).write('a few bytes'));
    const fetchAttachment = fetcherFor([cdn.origin]);
    const caller = new AbortController();
    const download = fetchAttachment(`${cdn.origin}/a`, caller.signal);
    await vi.waitFor(() => expect(cdn.requests).toHaveLength(1));
    caller.abort();
    expect(await refusal(download)).toEqual({ reason: 'aborted' });
    expect(await refusal(fetchAttachment(`${cdn.origin}/b`, caller.signal))).toEqual({ reason: 'aborted' });
    expect(cdn.requests).toEqual(['/a']);
  });

  it('refuses an error status, and reports a network failure as such', async () => {
    const cdn = await serve((_request, response) => response.writeHead(404).end('Not Found'));
    expect(await refusal(fetcherFor([cdn.origin])(`${cdn.origin}/gone`))).toEqual({
      reason: 'http_status',
      status: 404,
    });
    const dropping = await serve((request) => request.socket.destroy());
    expect(await refusal(fetcherFor([dropping.origin])(`${dropping.origin}/x`))).toEqual({ reason: 'network' });
  });
});

describe('credentials', () => {
  it('sends the platform’s headers to trusted hosts only, never past a redirect elsewhere', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((request, response) => {
      seen.push(request.headers.authorization);
      response.end('x');
    });
    const files = await serve((request, response) => {
      seen.push(request.headers.authorization);
      if (request.url === '/away') response.writeHead(302, { location: `${other.origin}/stolen` }).end();
      else response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    const fetchAttachment = createAttachmentFetcher({
      trustedOrigins: new Set([files.origin]),
      timeoutMs: 10_000,
      maxBytes: CAP,
      headers: { authorization: 'Bearer xoxb-secret' },
    });
    expect((await fetchAttachment(`${files.origin}/a.txt`)).bytes.toString()).toBe('hello');
    expect(await refusal(fetchAttachment(`${files.origin}/away`))).toEqual({ reason: 'untrusted_host' });
    expect(seen).toEqual(['Bearer xoxb-secret', 'Bearer xoxb-secret']);
    expect(other.requests).toEqual([]);
  });

  it('tells a refusal of the bot (401, 403) from other error statuses', async () => {
    const files = await serve((request, response) => response.writeHead(Number(request.url?.slice(1))).end());
    const fetchAttachment = fetcherFor([files.origin]);
    expect(await refusal(fetchAttachment(`${files.origin}/403`))).toEqual({ reason: 'forbidden', status: 403 });
    expect(await refusal(fetchAttachment(`${files.origin}/401`))).toEqual({ reason: 'forbidden', status: 401 });
    expect(await refusal(fetchAttachment(`${files.origin}/404`))).toEqual({ reason: 'http_status', status: 404 });
  });
});

describe('fileOrigins', () => {
  it('adds the API URL’s origin with its own scheme and port, and nothing for a URL that is not http', () => {
    expect(fileOrigins(['https://files.example'], 'http://127.0.0.1:8123/api')).toEqual(
      new Set(['https://files.example', 'http://127.0.0.1:8123']),
    );
    expect(fileOrigins(['https://files.example'], 'ftp://127.0.0.1/')).toEqual(new Set(['https://files.example']));
    expect(fileOrigins(['https://files.example'], undefined)).toEqual(new Set(['https://files.example']));
  });
});
