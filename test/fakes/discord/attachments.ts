import { randomBytes } from 'node:crypto';
import type { APIAttachment } from 'discord.js';
import type { SnowflakeGenerator } from './snowflakes.js';

/**
 * How the loopback CDN answers a download of one attachment: 'ok' the bytes with their
 * Content-Length; 'oversize' the bytes then zeros up to `oversizeBytes`, chunked with no
 * Content-Length (more than `size` announced); 'stall' the Content-Length and the first half of
 * the bytes, then nothing, ever; 'missing' a 404.
 */
export type AttachmentServe = 'ok' | 'oversize' | 'stall' | 'missing';

/** A file a user attaches with `userSays` / `dmSays`. */
export interface FakeAttachmentInput {
  readonly filename: string;
  /** `content_type` in the payload and the served Content-Type; omitted (as Discord does for unknown types) when absent. */
  readonly contentType?: string;
  readonly data: Buffer | string;
  /** The `size` Discord announces (default the data's byte length): lie with it to test a check made before download. */
  readonly size?: number;
  /** Default 'ok'. */
  readonly serve?: AttachmentServe;
  /** Bytes an 'oversize' download sends in all (default 64 MiB, above Anthropic's file limits). */
  readonly oversizeBytes?: number;
  /** Image dimensions; read from PNG and GIF headers when absent. */
  readonly width?: number;
  readonly height?: number;
}

export interface StoredAttachment {
  readonly id: string;
  readonly channelId: string;
  readonly filename: string;
  readonly contentType: string | undefined;
  readonly data: Buffer;
  readonly size: number;
  readonly serve: AttachmentServe;
  readonly oversizeBytes: number;
  /** The CDN path, `/attachments/<channel>/<id>/<filename>`, as `url` carries it. */
  readonly path: string;
  readonly url: string;
  readonly width: number | undefined;
  readonly height: number | undefined;
}

const DEFAULT_OVERSIZE_BYTES = 64 * 1024 * 1024;
/** Discord's signed CDN links expire after a day; the fake only imitates the query's shape. */
const LINK_TTL_SECONDS = 86_400;

/** Attachments of a new message, with CDN URLs on `origin` (e.g. `http://127.0.0.1:1234`). */
export function storeAttachments(
  ids: SnowflakeGenerator,
  channelId: string,
  inputs: readonly FakeAttachmentInput[],
  origin: string,
): StoredAttachment[] {
  return inputs.map((input) => {
    const id = ids.next();
    const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : input.data;
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(input.filename)}`;
    const dimensions = imageDimensions(data);
    return {
      id,
      channelId,
      filename: input.filename,
      contentType: input.contentType,
      data,
      size: input.size ?? data.length,
      serve: input.serve ?? 'ok',
      oversizeBytes: input.oversizeBytes ?? DEFAULT_OVERSIZE_BYTES,
      path,
      url: `${origin}${path}?${signedQuery()}`,
      width: input.width ?? dimensions?.width,
      height: input.height ?? dimensions?.height,
    };
  });
}

/** An attachment as message payloads carry it; `proxy_url` is the same loopback CDN. */
export function apiAttachment(attachment: StoredAttachment): APIAttachment {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.contentType === undefined ? {} : { content_type: attachment.contentType }),
    ...(attachment.width === undefined ? {} : { width: attachment.width }),
    ...(attachment.height === undefined ? {} : { height: attachment.height }),
  };
}

/** `ex`, `is`, `hm` as Discord signs attachment links: a product must keep the query when it fetches. */
function signedQuery(): string {
  const issued = Math.floor(Date.now() / 1000);
  const hex = (n: number): string => n.toString(16);
  return `ex=${hex(issued + LINK_TTL_SECONDS)}&is=${hex(issued)}&hm=${randomBytes(32).toString('hex')}&`;
}

/** Width and height from a PNG's IHDR or a GIF's logical screen; other formats need them given. */
function imageDimensions(data: Buffer): { width: number; height: number } | undefined {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length >= 24 && data.subarray(0, 8).equals(png)) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length >= 10 && data.subarray(0, 4).toString('latin1') === 'GIF8') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  return undefined;
}
