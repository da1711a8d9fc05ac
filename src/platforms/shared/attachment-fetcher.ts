// Downloads a file that came with a question, and nothing else: only the platform's file hosts are
// fetched, so a crafted URL can't turn the bot into a proxy (nor carry the platform's token elsewhere);
// the whole download has a deadline, and the body is read as a stream and dropped as soon as it passes
// the cap, so a lying server costs at most `maxBytes`.

import { AttachmentDownloadError } from '../../core/prompt/attachment-problem.js';

export interface DownloadedAttachment {
  readonly bytes: Buffer;
  readonly contentType: string | null;
}

export interface AttachmentFetcherDeps {
  /** Origins (scheme, host and port, as `URL.origin` spells them) that may be fetched. */
  readonly trustedOrigins: ReadonlySet<string>;
  /** The whole download, headers and body. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Sent with every request (e.g. Slack's bot token): only ever to the trusted origins. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof globalThis.fetch;
}

export type FetchAttachment = (url: string, signal?: AbortSignal) => Promise<DownloadedAttachment>;

/** A question's files download together; one still coming after this is left out with a notice. */
export const ATTACHMENT_TIMEOUT_MS = 20_000;
// A CDN may redirect within itself; more hops than this is a loop, not a download.
const MAX_REDIRECTS = 3;

/**
 * The platform's file origins, plus its API URL's (so a proxy or a test server on 127.0.0.1:port
 * works), with that URL's own scheme: http is trusted only there, and only when that URL is http.
 */
export function fileOrigins(fixed: readonly string[], apiUrl: string | undefined): Set<string> {
  const origins = new Set(fixed);
  const api = apiUrl === undefined ? undefined : URL.parse(apiUrl);
  if (api && (api.protocol === 'https:' || api.protocol === 'http:')) origins.add(api.origin);
  return origins;
}

export function createAttachmentFetcher({
  trustedOrigins,
  timeoutMs,
  maxBytes,
  headers = {},
  fetch = globalThis.fetch,
}: AttachmentFetcherDeps): FetchAttachment {
  return async function fetchAttachment(url, signal) {
    let target = trusted(url, trustedOrigins);
    if (signal?.aborted) throw new AttachmentDownloadError('aborted', 'the download was cancelled');
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlinePassed()), timeoutMs);
    const combined = signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal;
    try {
      for (let hops = 0; ; hops += 1) {
        const response = await fetch(target, { redirect: 'manual', signal: combined, headers });
        const location = isRedirect(response.status) ? response.headers.get('location') : null;
        if (location === null) return await bodyOf(response, maxBytes, deadline);
        await response.body?.cancel();
        if (hops === MAX_REDIRECTS) throw new AttachmentDownloadError('network', 'too many redirects');
        target = trusted(new URL(location, target).href, trustedOrigins);
      }
    } catch (error) {
      throw refusalOf(error, combined);
    } finally {
      clearTimeout(timer);
    }
  };
}

// The URL, parsed, when it may be fetched; refused before any request otherwise.
function trusted(url: string, origins: ReadonlySet<string>): URL {
  const parsed = URL.parse(url);
  // userinfo is refused outright: `https://cdn.discordapp.com@evil.example/` style URLs mislead readers.
  if (parsed && parsed.username === '' && parsed.password === '' && origins.has(parsed.origin)) return parsed;
  throw new AttachmentDownloadError('untrusted_host', 'not one of the platform’s file hosts');
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

async function bodyOf(response: Response, maxBytes: number, download: AbortController): Promise<DownloadedAttachment> {
  if (!response.ok) {
    download.abort();
    const failure = response.status === 401 || response.status === 403 ? 'forbidden' : 'http_status';
    throw new AttachmentDownloadError(failure, `the server answered ${response.status}`, response.status);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    download.abort();
    throw new AttachmentDownloadError('too_large', `${declared} bytes declared, over ${maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (response.body) {
    // Counted as it arrives: Content-Length may be missing or wrong. (Node types the body's chunks `any`.)
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      received += chunk.byteLength;
      if (received > maxBytes) {
        download.abort();
        throw new AttachmentDownloadError('too_large', `more than ${maxBytes} bytes arrived`);
      }
      chunks.push(chunk);
    }
  }
  return { bytes: Buffer.concat(chunks, received), contentType: response.headers.get('content-type') };
}

class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';
}

// Which of ours a failure is: our refusals as they are, then the deadline, the caller, the network.
function refusalOf(error: unknown, signal: AbortSignal): AttachmentDownloadError {
  if (error instanceof AttachmentDownloadError) return error;
  if (signal.aborted && signal.reason instanceof DeadlinePassed) {
    return new AttachmentDownloadError('timeout', 'the download took too long', undefined, { cause: error });
  }
  if (signal.aborted)
    return new AttachmentDownloadError('aborted', 'the download was cancelled', undefined, { cause: error });
  return new AttachmentDownloadError('network', 'the download failed', undefined, { cause: error });
}
