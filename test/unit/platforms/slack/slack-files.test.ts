import { describe, expect, it, vi } from 'vitest';
import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';
import type { FetchAttachment } from '../../../../src/platforms/shared/attachment-fetcher.js';
import { createSlackFileFetcher, slackAttachments } from '../../../../src/platforms/slack/slack-files.js';

const signal = new AbortController().signal;

async function failureOf(load: Promise<unknown>): Promise<string> {
  const error = await load.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return error instanceof AttachmentDownloadError ? error.failure : `not refused: ${String(error)}`;
}

describe('slackAttachments', () => {
  it('describes each file as Slack tells it, and downloads it from url_private_download', async () => {
    const fetch = vi.fn<FetchAttachment>().mockResolvedValue({ bytes: Buffer.from('hi'), contentType: 'text/plain' });
    const [file] = slackAttachments(
      [
        {
          name: 'a.txt',
          mimetype: 'text/plain',
          size: 2,
          url_private: 'https://files.slack.com/a',
          url_private_download: 'https://files.slack.com/a/download',
        },
      ],
      fetch,
    );
    expect(file).toMatchObject({ name: 'a.txt', contentType: 'text/plain', size: 2, width: null, height: null });
    expect(Buffer.from((await file?.load(signal)) ?? []).toString()).toBe('hi');
    expect(fetch).toHaveBeenCalledWith('https://files.slack.com/a/download', signal);
  });

  it('refuses Slack’s sign-in page served in place of a file, and a file Slack gave no URL for', async () => {
    const fetch = vi.fn<FetchAttachment>().mockResolvedValue({
      bytes: Buffer.from('<html>'),
      contentType: 'text/html; charset=utf-8',
    });
    const [image, hidden] = slackAttachments(
      [
        { name: 'x.png', mimetype: 'image/png', size: 9, url_private_download: 'https://files.slack.com/x' },
        { size: 1 },
      ],
      fetch,
    );
    expect(await failureOf(image!.load(signal))).toBe('forbidden');
    expect(hidden?.name).toBe('file');
    expect(await failureOf(hidden!.load(signal))).toBe('forbidden');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps an HTML file that is one', async () => {
    const fetch = vi.fn<FetchAttachment>().mockResolvedValue({ bytes: Buffer.from('<p>'), contentType: 'text/html' });
    const [page] = slackAttachments(
      [{ name: 'p.html', mimetype: 'text/html', url_private: 'https://files.slack.com/p' }],
      fetch,
    );
    expect(Buffer.from((await page?.load(signal)) ?? []).toString()).toBe('<p>');
  });
});

describe('createSlackFileFetcher', () => {
  it('sends the bot token to Slack’s file host only', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(new Response('ok', { status: 200 }));
    const fetchFile = createSlackFileFetcher({
      botToken: 'xoxb-1',
      apiUrl: 'https://slack.com/api/',
      timeoutMs: 1000,
      maxBytes: 100,
      fetch,
    });
    await fetchFile('https://files.slack.com/files-pri/T-F/download/a.txt');
    expect(fetch.mock.calls[0]?.[1]?.headers).toEqual({ authorization: 'Bearer xoxb-1' });
    expect(await failureOf(fetchFile('https://evil.example/a.txt'))).toBe('untrusted_host');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
