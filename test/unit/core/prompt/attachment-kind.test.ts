import { describe, expect, it } from 'vitest';
import { attachmentKind, imageMediaType, looksLikePdf } from '../../../../src/core/prompt/attachment-kind.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('attachmentKind', () => {
  it('reads images, PDFs and text from the extension first, in any case', () => {
    expect(attachmentKind('Cat.PNG', null)).toBe('image');
    expect(attachmentKind('photo.jpeg', 'application/octet-stream')).toBe('image');
    expect(attachmentKind('paper.pdf', null)).toBe('pdf');
    expect(attachmentKind('notes.md', null)).toBe('text');
    // Discord calls TypeScript an MPEG transport stream.
    expect(attachmentKind('index.ts', 'video/mp2t')).toBe('text');
    expect(attachmentKind('Dockerfile', null)).toBe('text');
  });

  it('falls back on the content type, parameters and case aside', () => {
    expect(attachmentKind('blob', 'image/webp')).toBe('image');
    expect(attachmentKind('download', 'application/pdf')).toBe('pdf');
    expect(attachmentKind('readme', 'text/plain; charset=utf-8')).toBe('text');
    expect(attachmentKind('data', 'Application/JSON')).toBe('text');
    expect(attachmentKind('feed', 'application/atom+xml')).toBe('text');
    expect(attachmentKind('manifest', 'application/ld+json')).toBe('text');
  });

  it('reads nothing else', () => {
    expect(attachmentKind('setup.exe', 'application/x-msdownload')).toBeNull();
    expect(attachmentKind('clip.mp4', 'video/mp4')).toBeNull();
    expect(attachmentKind('image.bmp', 'image/bmp')).toBeNull();
    expect(attachmentKind('archive', null)).toBeNull();
    // A file named .env is not read: not in the list on purpose.
    expect(attachmentKind('.env', null)).toBeNull();
  });
});

describe('what the bytes are', () => {
  it('knows PNG, JPEG, GIF and WebP by their first bytes', () => {
    expect(imageMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(imageMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(imageMediaType(new TextEncoder().encode('GIF89a'))).toBe('image/gif');
    expect(imageMediaType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
    expect(imageMediaType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    expect(imageMediaType(new TextEncoder().encode('<html>'))).toBeNull();
    expect(imageMediaType(bytes())).toBeNull();
  });

  it('knows a PDF by its header', () => {
    expect(looksLikePdf(new TextEncoder().encode('%PDF-1.7\n'))).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('%PS-Adobe'))).toBe(false);
  });
});
