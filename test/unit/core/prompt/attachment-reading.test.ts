import { describe, expect, it } from 'vitest';
import type { QuestionAttachment } from '../../../../src/core/prompt/attachment.js';
import { KIND_MAX_BYTES } from '../../../../src/core/prompt/attachment-limits.js';
import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';
import { readAttachments } from '../../../../src/core/prompt/attachment-reading.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const PDF = new TextEncoder().encode('%PDF-1.4\nbody');
const limits = { maxCount: 5, maxBytes: 1_000_000 };
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A file whose download resolves to `bytes` (or rejects with them when they are an error). */
function file(name: string, bytes: Uint8Array | Error, extra: Partial<QuestionAttachment> = {}) {
  const loads: AbortSignal[] = [];
  const attachment: QuestionAttachment = {
    name,
    contentType: null,
    size: bytes instanceof Error ? 10 : bytes.byteLength,
    load: (signal) => {
      loads.push(signal);
      return bytes instanceof Error ? Promise.reject(bytes) : Promise.resolve(bytes);
    },
    ...extra,
  };
  return Object.assign(attachment, { loads });
}

describe('readAttachments', () => {
  it('turns images, PDFs and text into parts in the files’ order, with the answer’s signal', async () => {
    const files = [file('a.png', PNG), file('b.pdf', PDF), file('c.csv', new TextEncoder().encode('\uFEFFx,y\n1,2'))];
    const signal = new AbortController().signal;
    const read = await readAttachments(files, limits, signal);
    expect(read).toEqual({
      parts: [
        { type: 'image', mediaType: 'image/png', data: base64(PNG) },
        { type: 'document', mediaType: 'application/pdf', data: base64(PDF), title: 'b.pdf' },
        { type: 'text', text: '[file: c.csv]\nx,y\n1,2' },
      ],
      attached: ['a.png', 'b.pdf', 'c.csv'],
      problems: [],
    });
    expect(files.map((one) => one.loads)).toEqual([[signal], [signal], [signal]]);
  });

  it('takes the image’s media type from its bytes, not from its name', async () => {
    const read = await readAttachments([file('really-a-png.jpg', PNG)], limits, new AbortController().signal);
    expect(read.parts).toEqual([{ type: 'image', mediaType: 'image/png', data: base64(PNG) }]);
  });

  it('downloads them all at once', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const slow = (name: string): QuestionAttachment => ({
      name,
      contentType: 'text/plain',
      size: 1,
      load: async () => {
        started.push(name);
        await gate;
        return new TextEncoder().encode(name);
      },
    });
    const reading = readAttachments([slow('1.txt'), slow('2.txt')], limits, new AbortController().signal);
    await Promise.resolve();
    expect(started).toEqual(['1.txt', '2.txt']);
    release();
    expect((await reading).attached).toEqual(['1.txt', '2.txt']);
  });

  it('makes a problem of each file that cannot be read, by the download’s typed failure, and keeps the rest', async () => {
    const files = [
      file('slow.png', new AttachmentDownloadError('timeout', 'took too long')),
      file('gone.pdf', new AttachmentDownloadError('http_status', 'the server answered 404', 404)),
      file('odd.txt', new Error('socket hang up')),
      file('latin1.txt', Uint8Array.from([0x63, 0x61, 0x66, 0xe9])),
      file('fake.png', new TextEncoder().encode('<html>')),
      file('fake.pdf', new TextEncoder().encode('hello')),
      file('ok.md', new TextEncoder().encode('# fine')),
    ];
    const read = await readAttachments(files, { ...limits, maxCount: 10 }, new AbortController().signal);
    expect(read.problems).toEqual([
      { kind: 'download_failed', name: 'slow.png', failure: 'timeout' },
      { kind: 'download_failed', name: 'gone.pdf', failure: 'http_status', status: 404 },
      { kind: 'download_failed', name: 'odd.txt', failure: 'network' },
      { kind: 'unreadable', name: 'latin1.txt', as: 'text' },
      { kind: 'unreadable', name: 'fake.png', as: 'image' },
      { kind: 'unreadable', name: 'fake.pdf', as: 'pdf' },
    ]);
    expect(read.attached).toEqual(['ok.md']);
  });

  it('downloads nothing the screening refused, and checks what arrived against the limit again', async () => {
    const told = file('told-big.png', PNG, { size: KIND_MAX_BYTES.image + 1 });
    const lied = file('lied.txt', new TextEncoder().encode('0123456789'), { size: 1 });
    const read = await readAttachments([told, lied], { maxCount: 5, maxBytes: 5 }, new AbortController().signal);
    expect(told.loads).toEqual([]);
    expect(read.problems).toEqual([
      { kind: 'too_large', name: 'told-big.png', size: KIND_MAX_BYTES.image + 1, limit: 5 },
      { kind: 'too_large', name: 'lied.txt', size: 10, limit: 5 },
    ]);
    expect(read.parts).toEqual([]);
  });
});
