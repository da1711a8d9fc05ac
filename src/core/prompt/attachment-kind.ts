import type { ImageMediaType } from '../ports/model.js';

// What a file is, for Claude: an image, a PDF, text, or nothing it can read. Before the download the
// name and the platform's content type decide (the extension first: Discord calls a `.ts` file
// video/mp2t); after it, the bytes themselves must agree, as the API refuses an image whose media
// type does not match its data.

export type AttachmentKind = 'image' | 'pdf' | 'text';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp']);
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/gif', 'image/webp']);
// Plain text, data and the source code people paste most.
const TEXT_EXTENSIONS = new Set(
  (
    'txt text md markdown rst adoc tex csv tsv json jsonl ndjson yaml yml toml ini cfg conf properties log ' +
    'xml html htm css scss sass less svg diff patch sql graphql gql proto ' +
    'js mjs cjs jsx ts mts cts tsx vue svelte astro py pyi rb php pl pm lua r jl go rs java kt kts scala groovy ' +
    'gradle swift m mm c h cc cpp cxx hpp hh cs fs fsx vb dart ex exs erl hrl hs elm clj cljs edn lisp el ml mli ' +
    'nim zig v sol sh bash zsh fish ps1 psm1 bat cmd awk sed tf hcl nix dockerfile makefile cmake mk'
  ).split(' '),
);
const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/x-javascript',
  'application/typescript',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/sql',
  'application/x-sh',
  'application/x-httpd-php',
]);

export function attachmentKind(name: string, contentType: string | null): AttachmentKind | null {
  return kindByExtension(name) ?? kindByContentType(contentType);
}

function kindByExtension(name: string): AttachmentKind | null {
  const dot = name.lastIndexOf('.');
  // "Dockerfile", "Makefile": the whole name is the extension.
  const extension = (dot === -1 ? name : name.slice(dot + 1)).toLowerCase();
  if (IMAGE_EXTENSIONS.has(extension)) return 'image';
  if (extension === 'pdf') return 'pdf';
  return TEXT_EXTENSIONS.has(extension) ? 'text' : null;
}

function kindByContentType(contentType: string | null): AttachmentKind | null {
  // "text/plain; charset=utf-8" → "text/plain"
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/') || TEXT_TYPES.has(type)) return 'text';
  return type.endsWith('+json') || type.endsWith('+xml') ? 'text' : null;
}

/** The image's real format, from its first bytes; null when it is none Claude reads. */
export function imageMediaType(bytes: Uint8Array): ImageMediaType | null {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  const riff = starts(0x52, 0x49, 0x46, 0x46);
  const webp = bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
  return riff && webp ? 'image/webp' : null;
}

/** Whether the bytes start like a PDF ("%PDF-"). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return [0x25, 0x50, 0x44, 0x46, 0x2d].every((byte, index) => bytes[index] === byte);
}
