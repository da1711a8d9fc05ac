import { describe, expect, it } from 'vitest';
import type { QuestionAttachment } from '../../../../src/core/prompt/attachment.js';
import {
  FILES_MAX_BYTES,
  IMAGE_MAX_SIDE,
  KIND_MAX_BYTES,
  screenAttachments,
} from '../../../../src/core/prompt/attachment-limits.js';

const file = (name: string, size: number, extra: Partial<QuestionAttachment> = {}): QuestionAttachment => ({
  name,
  contentType: null,
  size,
  load: () => Promise.reject(new Error('not downloaded in these tests')),
  ...extra,
});

const limits = { maxCount: 5, maxBytes: 10_000_000 };

describe('screenAttachments', () => {
  it('accepts supported files within the limits, in order, with the limit each must keep to', () => {
    const files = [file('a.png', 10), file('b.pdf', 10), file('c.txt', 10)];
    const { outcomes } = screenAttachments(files, limits);
    expect(outcomes).toEqual([
      { accepted: { attachment: files[0], kind: 'image', limit: KIND_MAX_BYTES.image } },
      { accepted: { attachment: files[1], kind: 'pdf', limit: 10_000_000 } },
      { accepted: { attachment: files[2], kind: 'text', limit: KIND_MAX_BYTES.text } },
    ]);
  });

  it('refuses by the size the platform tells: the operator’s limit, or Anthropic’s where stricter', () => {
    const small = screenAttachments([file('doc.pdf', 2001), file('fits.pdf', 2000)], { maxCount: 5, maxBytes: 2000 });
    expect(small.outcomes[0]).toEqual({ problem: { kind: 'too_large', name: 'doc.pdf', size: 2001, limit: 2000 } });
    expect(small.outcomes[1]).toHaveProperty('accepted');
    // The operator allows 10 MB, but Claude takes 3.75 MiB of image and 512 KiB of text.
    const image = KIND_MAX_BYTES.image;
    const text = KIND_MAX_BYTES.text;
    const { outcomes } = screenAttachments(
      [file('big.png', image + 1), file('fits.png', image), file('log.txt', text + 1)],
      limits,
    );
    expect(outcomes[0]).toEqual({ problem: { kind: 'too_large', name: 'big.png', size: image + 1, limit: image } });
    expect(outcomes[1]).toHaveProperty('accepted');
    expect(outcomes[2]).toEqual({ problem: { kind: 'too_large', name: 'log.txt', size: text + 1, limit: text } });
  });

  it('refuses an image Discord says is larger than Claude takes on a side', () => {
    const wide = file('panorama.jpg', 100, { width: IMAGE_MAX_SIDE + 1, height: 900 });
    const fine = file('ok.jpg', 100, { width: IMAGE_MAX_SIDE, height: null });
    const { outcomes } = screenAttachments([wide, fine], limits);
    expect(outcomes[0]).toEqual({
      problem: { kind: 'too_many_pixels', name: 'panorama.jpg', maxSide: IMAGE_MAX_SIDE },
    });
    expect(outcomes[1]).toHaveProperty('accepted');
  });

  it('counts only the files it would read, and names the ones past the count in one problem, last', () => {
    const files = [file('x.exe', 1), file('1.png', 1), file('2.png', 1), file('3.png', 1), file('4.md', 1)];
    const { outcomes } = screenAttachments(files, { ...limits, maxCount: 2 });
    expect(
      outcomes.map((outcome) => ('problem' in outcome ? outcome.problem : outcome.accepted.attachment.name)),
    ).toEqual([
      { kind: 'unsupported', name: 'x.exe' },
      '1.png',
      '2.png',
      { kind: 'too_many', names: ['3.png', '4.md'], max: 2 },
    ]);
  });

  it('leaves out a file that would take the files past what one request carries, and reads a later one that fits', () => {
    const big = { maxCount: 5, maxBytes: FILES_MAX_BYTES };
    const files = [file('a.pdf', 15_000_000), file('b.pdf', 15_000_000), file('c.png', 1000)];
    const { outcomes } = screenAttachments(files, big);
    expect(outcomes[0]).toHaveProperty('accepted');
    expect(outcomes[1]).toEqual({ problem: { kind: 'over_total', name: 'b.pdf', total: FILES_MAX_BYTES } });
    expect(outcomes[2]).toHaveProperty('accepted');
  });

  it('reads no file at all when the count is 0', () => {
    const files = [file('a.png', 1), file('b.exe', 1), file('c.pdf', 10_000_001)];
    expect(screenAttachments(files, { ...limits, maxCount: 0 }).outcomes).toEqual([
      { problem: { kind: 'too_many', names: ['a.png', 'b.exe', 'c.pdf'], max: 0 } },
    ]);
    expect(screenAttachments([], { ...limits, maxCount: 0 }).outcomes).toEqual([]);
  });
});
