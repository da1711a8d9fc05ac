import type { AttachmentKind } from './attachment-kind.js';

// Why a file that came with a question was not sent to Claude. The platform's loader rejects with an
// AttachmentDownloadError whose `failure` says why; user-text.ts turns each problem into one line.

/** Why a download did not complete, as the platform's fetcher tells it. */
export type DownloadFailure =
  | 'timeout'
  | 'untrusted_host'
  | 'http_status'
  /** The file host refused the bot (e.g. a Slack app without the files:read scope). */
  | 'forbidden'
  | 'too_large'
  | 'network'
  | 'aborted';

export class AttachmentDownloadError extends Error {
  override readonly name = 'AttachmentDownloadError';

  constructor(
    readonly failure: DownloadFailure,
    message: string,
    /** The HTTP status, for `http_status`. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type AttachmentProblem =
  /** Not an image, a PDF or text Claude can read. */
  | { readonly kind: 'unsupported'; readonly name: string }
  /** Over the size limit, in bytes (as the platform told it, or as it arrived). */
  | { readonly kind: 'too_large'; readonly name: string; readonly size: number; readonly limit: number }
  /** Would take the question's files past what one request may carry, in bytes. */
  | { readonly kind: 'over_total'; readonly name: string; readonly total: number }
  /** An image wider or taller than Claude takes. */
  | { readonly kind: 'too_many_pixels'; readonly name: string; readonly maxSide: number }
  /** Past the number of files read with one question; `max` may be 0 (files are not read). */
  | { readonly kind: 'too_many'; readonly names: readonly string[]; readonly max: number }
  | {
      readonly kind: 'download_failed';
      readonly name: string;
      readonly failure: DownloadFailure;
      readonly status?: number;
    }
  /** Downloaded, but not what it said it is: text that is not UTF-8, an image or PDF whose bytes are not one. */
  | { readonly kind: 'unreadable'; readonly name: string; readonly as: AttachmentKind };

/** The problem a rejected download is: its typed failure, or a network failure for anything else. */
export function downloadProblem(name: string, error: unknown): AttachmentProblem {
  if (!(error instanceof AttachmentDownloadError)) return { kind: 'download_failed', name, failure: 'network' };
  const { failure, status } = error;
  return status === undefined
    ? { kind: 'download_failed', name, failure }
    : { kind: 'download_failed', name, failure, status };
}
