import type { QuestionAttachment } from './attachment.js';
import { attachmentKind } from './attachment-kind.js';
import type { AttachmentKind } from './attachment-kind.js';
import type { AttachmentProblem } from './attachment-problem.js';

// Which of a question's files are downloaded, decided from what the platform tells before any byte
// is fetched: the kind, the size, an image's pixels, and how many. The operator's limits apply, and
// Anthropic's own per kind where they are stricter.

export interface AttachmentLimits {
  /** Files read with one question (0: none). */
  readonly maxCount: number;
  /** The largest file downloaded, in bytes. */
  readonly maxBytes: number;
}

/** Anthropic's limits, per kind, in bytes of the file itself. */
export const KIND_MAX_BYTES: Readonly<Record<AttachmentKind, number>> = {
  // An image may be 5 MB as base64 text; base64 is 4/3 of the bytes: 3.75 MiB of file.
  image: 3_932_160,
  // A whole request may be 32 MB and a PDF goes as base64 (4/3): see FILES_MAX_BYTES.
  pdf: 23_068_672,
  // Not an API limit but the context window's: 200k tokens are about 800 KB of prose, and the answer
  // and the conversation need room too. 512 KiB is about 130k tokens.
  text: 524_288,
};

// A whole request may be 32 MB and files go as base64 (4/3 of their bytes): 22 MiB of files is about
// 29 MiB of request, leaving room for the conversation. Files past it are left out, in order.
export const FILES_MAX_BYTES = 23_068_672;

// Claude refuses an image wider or taller than this many pixels.
export const IMAGE_MAX_SIDE = 8000;

export interface AcceptedAttachment {
  readonly attachment: QuestionAttachment;
  readonly kind: AttachmentKind;
  /** The largest it may be once downloaded, in bytes. */
  readonly limit: number;
}

/** Each file either accepted for download or refused with its problem, in order; the ones past the count last. */
export interface Screening {
  readonly outcomes: readonly ({ readonly accepted: AcceptedAttachment } | { readonly problem: AttachmentProblem })[];
}

export function screenAttachments(attachments: readonly QuestionAttachment[], limits: AttachmentLimits): Screening {
  // Where no file is read, that is the one thing to say, whatever each file is.
  if (limits.maxCount === 0 && attachments.length > 0) {
    return { outcomes: [{ problem: { kind: 'too_many', names: attachments.map((file) => file.name), max: 0 } }] };
  }
  let room = limits.maxCount;
  let bytesLeft = FILES_MAX_BYTES;
  const left: string[] = [];
  const outcomes: Screening['outcomes'][number][] = [];
  for (const attachment of attachments) {
    const checked = check(attachment, limits);
    if ('problem' in checked) outcomes.push(checked);
    else if (room === 0) left.push(attachment.name);
    else if (attachment.size > bytesLeft) {
      outcomes.push({ problem: { kind: 'over_total', name: attachment.name, total: FILES_MAX_BYTES } });
    } else {
      room -= 1;
      bytesLeft -= attachment.size;
      outcomes.push(checked);
    }
  }
  if (left.length > 0) outcomes.push({ problem: { kind: 'too_many', names: left, max: limits.maxCount } });
  return { outcomes };
}

function check(
  attachment: QuestionAttachment,
  limits: AttachmentLimits,
): { readonly accepted: AcceptedAttachment } | { readonly problem: AttachmentProblem } {
  const { name, size } = attachment;
  const kind = attachmentKind(name, attachment.contentType);
  if (kind === null) return { problem: { kind: 'unsupported', name } };
  const limit = Math.min(limits.maxBytes, KIND_MAX_BYTES[kind]);
  if (size > limit) return { problem: { kind: 'too_large', name, size, limit } };
  const side = Math.max(attachment.width ?? 0, attachment.height ?? 0);
  if (kind === 'image' && side > IMAGE_MAX_SIDE) {
    return { problem: { kind: 'too_many_pixels', name, maxSide: IMAGE_MAX_SIDE } };
  }
  return { accepted: { attachment, kind, limit } };
}
