import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';
import { describe, expect, it, vi } from 'vitest';
import { discordAttachmentOrigins } from '../../../../src/platforms/discord/attachment-origins.js';
import { createAttachmentFetcher } from '../../../../src/platforms/shared/attachment-fetcher.js';

async function refusal(download: Promise<unknown>): Promise<{ reason: string }> {
  const error = await download.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof AttachmentDownloadError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { reason: error.failure };
}

describe('discordAttachmentOrigins', () => {
  it('trusts Discord’s CDN over https only, and DISCORD_API_URL’s host with its own scheme and port', async () => {
    expect(discordAttachmentOrigins(undefined)).toEqual(
      new Set(['https://cdn.discordapp.com', 'https://media.discordapp.net']),
    );
    expect(discordAttachmentOrigins('http://127.0.0.1:8123/api')).toEqual(
      new Set(['https://cdn.discordapp.com', 'https://media.discordapp.net', 'http://127.0.0.1:8123']),
    );
    expect(discordAttachmentOrigins('https://discord.example:443/api').has('https://discord.example')).toBe(true);

    const fetch = vi.fn<typeof globalThis.fetch>();
    const fetchAttachment = createAttachmentFetcher({
      trustedOrigins: discordAttachmentOrigins('http://127.0.0.1:8123/api'),
      timeoutMs: 1000,
      maxBytes: 1000,
      fetch,
    });
    for (const url of [
      'http://cdn.discordapp.com/attachments/1/2/a.png',
      'https://cdn.discordapp.com:8443/attachments/1/2/a.png',
      'https://cdn.discordapp.com.evil.example/a.png',
      'https://127.0.0.1:8123/a.png',
      'http://127.0.0.1:8124/a.png',
    ]) {
      expect({ url, ...(await refusal(fetchAttachment(url))) }).toEqual({ url, reason: 'untrusted_host' });
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});
