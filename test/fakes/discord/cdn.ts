import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AttachmentServe, StoredAttachment } from './attachments.js';

/** One download the loopback CDN answered (or, for 'stall' and 'oversize', started answering). */
export interface CdnRequest {
  readonly method: string;
  /** The path without the query, e.g. '/attachments/<channel>/<id>/cat.png'. */
  readonly path: string;
  /** Undefined when the path names no attachment the fake made. */
  readonly attachmentId: string | undefined;
  readonly filename: string | undefined;
  readonly serve: AttachmentServe | undefined;
  /** 200, or 404 for 'missing' and unknown paths. */
  readonly status: number;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export const CDN_PREFIX = '/attachments/';
const CHUNK_BYTES = 64 * 1024;

/**
 * Discord's attachment CDN, on the fake's own HTTP server (same host and port as `apiUrl`):
 * GET (or HEAD) `/attachments/<channel>/<id>/<filename>` serves the bytes as the attachment's
 * `serve` says. The query (`ex`, `is`, `hm`) is ignored, as nothing checks signatures here.
 */
export class Cdn {
  readonly #find: (id: string) => StoredAttachment | undefined;
  readonly #onRequest: (request: CdnRequest) => void;

  constructor(find: (id: string) => StoredAttachment | undefined, onRequest: (request: CdnRequest) => void) {
    this.#find = find;
    this.#onRequest = onRequest;
  }

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(CDN_PREFIX);
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const at = performance.now();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake-cdn').pathname;
    const attachment = this.#resolve(path);
    const found = attachment !== undefined && attachment.serve !== 'missing' && (method === 'GET' || method === 'HEAD');
    this.#onRequest({
      method,
      path,
      attachmentId: attachment?.id,
      filename: attachment?.filename,
      serve: attachment?.serve,
      status: found ? 200 : 404,
      at,
    });
    // The request body (there is none for GET) must be drained for the socket to be reused.
    req.resume();
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    writeAttachment(res, attachment, method === 'HEAD');
  }

  /** The attachment a path names, if channel, id and filename all match. */
  #resolve(path: string): StoredAttachment | undefined {
    const [channelId, id, filename] = path.slice(CDN_PREFIX.length).split('/');
    if (channelId === undefined || id === undefined || filename === undefined) return undefined;
    const attachment = this.#find(id);
    if (attachment === undefined || attachment.channelId !== channelId) return undefined;
    return attachment.path === path ? attachment : undefined;
  }
}

function writeAttachment(res: ServerResponse, attachment: StoredAttachment, headOnly: boolean): void {
  const contentType = attachment.contentType ?? 'application/octet-stream';
  if (attachment.serve === 'oversize') {
    // No Content-Length: only counting the bytes as they come shows that there are too many.
    res.writeHead(200, { 'Content-Type': contentType });
    if (headOnly) res.end();
    else streamOversize(res, attachment);
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(attachment.data.length) });
  if (headOnly) {
    res.end();
    return;
  }
  if (attachment.serve === 'stall') {
    // Half the body, then silence: the response is never ended (close() drops the socket).
    res.write(attachment.data.subarray(0, Math.floor(attachment.data.length / 2)));
    return;
  }
  res.end(attachment.data);
}

/** The data, then zeros up to `oversizeBytes`, written as the client drains them. */
function streamOversize(res: ServerResponse, attachment: StoredAttachment): void {
  let remaining = Math.max(attachment.oversizeBytes - attachment.data.length, 0);
  const zeros = Buffer.alloc(CHUNK_BYTES);
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const chunk = zeros.subarray(0, Math.min(remaining, CHUNK_BYTES));
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.write(attachment.data);
  pump();
}
