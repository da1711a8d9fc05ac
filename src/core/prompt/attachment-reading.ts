import type { ContentPart } from '../ports/model.js';
import type { QuestionAttachment } from './attachment.js';
import { imageMediaType, looksLikePdf } from './attachment-kind.js';
import { screenAttachments } from './attachment-limits.js';
import type { AcceptedAttachment, AttachmentLimits } from './attachment-limits.js';
import { downloadProblem } from './attachment-problem.js';
import type { AttachmentProblem } from './attachment-problem.js';

// A question's files as Claude reads them: the ones the limits let through are downloaded together
// (with the answer's signal, so stopping the answer stops them), then each becomes an image part, a
// document part or a text part named after the file. A file that cannot be read becomes a problem
// instead, and the others still go.

export interface ReadAttachments {
  /** What goes to Claude before the question's text, in the files' order. */
  readonly parts: readonly ContentPart[];
  /** The names of the files that went, for the conversation's memory. */
  readonly attached: readonly string[];
  /** Why the others did not go, one each (the files past the count in one). */
  readonly problems: readonly AttachmentProblem[];
}

export const NO_ATTACHMENTS: ReadAttachments = { parts: [], attached: [], problems: [] };

type Read = { readonly name: string; readonly part: ContentPart } | { readonly problem: AttachmentProblem };

export async function readAttachments(
  attachments: readonly QuestionAttachment[],
  limits: AttachmentLimits,
  signal: AbortSignal,
): Promise<ReadAttachments> {
  if (attachments.length === 0) return NO_ATTACHMENTS;
  const { outcomes } = screenAttachments(attachments, limits);
  const reads = await Promise.all(
    outcomes.map(async (outcome) => ('problem' in outcome ? outcome : readOne(outcome.accepted, signal))),
  );
  const parts: ContentPart[] = [];
  const attached: string[] = [];
  const problems: AttachmentProblem[] = [];
  for (const read of reads) {
    if ('problem' in read) problems.push(read.problem);
    else {
      parts.push(read.part);
      attached.push(read.name);
    }
  }
  return { parts, attached, problems };
}

async function readOne({ attachment, kind, limit }: AcceptedAttachment, signal: AbortSignal): Promise<Read> {
  const { name } = attachment;
  let bytes: Uint8Array;
  try {
    bytes = await attachment.load(signal);
  } catch (error) {
    return { problem: downloadProblem(name, error) };
  }
  // The platform told the size before; what arrived is what counts.
  if (bytes.byteLength > limit) return { problem: { kind: 'too_large', name, size: bytes.byteLength, limit } };
  const part = kind === 'image' ? imagePart(bytes) : kind === 'pdf' ? pdfPart(name, bytes) : textPart(name, bytes);
  return part === null ? { problem: { kind: 'unreadable', name, as: kind } } : { name, part };
}

function imagePart(bytes: Uint8Array): ContentPart | null {
  const mediaType = imageMediaType(bytes);
  return mediaType === null ? null : { type: 'image', mediaType, data: base64(bytes) };
}

function pdfPart(name: string, bytes: Uint8Array): ContentPart | null {
  return looksLikePdf(bytes)
    ? { type: 'document', mediaType: 'application/pdf', data: base64(bytes), title: name }
    : null;
}

// fatal: a file that is not UTF-8 is refused rather than sent garbled; a BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function textPart(name: string, bytes: Uint8Array): ContentPart | null {
  try {
    return { type: 'text', text: `${fileHeader(name)}\n${utf8.decode(bytes)}` };
  } catch {
    return null;
  }
}

/** The line that names a text file above its content. */
export function fileHeader(name: string): string {
  return `[file: ${name}]`;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
