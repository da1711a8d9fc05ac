import { randomBytes } from 'node:crypto';

// Files a user may attach, with the bytes that make them what they say: what the fakes serve and
// what the bot checks (magic numbers) and reads (an image's size from its header).

/** A PNG's signature and IHDR (where its size is read from), then random pixels. */
export function png(width = 64, height = 48): Buffer {
  const header = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return Buffer.concat([header, randomBytes(2000)]);
}

/** A PDF's header and trailer around random bytes. */
export const pdf = (): Buffer =>
  Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000), Buffer.from('\n%%EOF\n')]);
