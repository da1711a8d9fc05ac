import type { QuestionAttachment } from '../../core/prompt/attachment.js';
import { AttachmentDownloadError } from '../../core/prompt/attachment-problem.js';
import { createAttachmentFetcher, fileOrigins } from '../shared/attachment-fetcher.js';
import type { FetchAttachment } from '../shared/attachment-fetcher.js';

// The files shared with a Slack question. Slack serves them at `url_private_download` to the bot
// token only (scope files:read), so the token goes with each download — and only ever to Slack's
// file host (or SLACK_API_URL's, for a proxy or a test server): the fetcher refuses anything else,
// redirects included. Nothing is downloaded here; each file loads when the answer runs.

/** The fields of a Slack file object a question needs (absent when Slack hides the file). */
export interface SlackFile {
  readonly name?: string | null | undefined;
  readonly title?: string | null | undefined;
  readonly mimetype?: string | undefined;
  readonly size?: number | undefined;
  readonly original_w?: number | undefined;
  readonly original_h?: number | undefined;
  readonly url_private_download?: string | undefined;
  readonly url_private?: string | undefined;
}

export interface SlackFilesOptions {
  readonly botToken: string;
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly fetch?: typeof globalThis.fetch;
}

const SLACK_FILE_ORIGINS = ['https://files.slack.com'];

/** The one fetcher of Slack files: Slack's file host, with the bot token. */
export function createSlackFileFetcher(options: SlackFilesOptions): FetchAttachment {
  return createAttachmentFetcher({
    trustedOrigins: fileOrigins(SLACK_FILE_ORIGINS, options.apiUrl),
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    headers: { authorization: `Bearer ${options.botToken}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export function slackAttachments(
  files: readonly SlackFile[] | undefined,
  fetch: FetchAttachment,
): QuestionAttachment[] {
  return (files ?? []).map((file) => slackAttachment(file, fetch));
}

function slackAttachment(file: SlackFile, fetch: FetchAttachment): QuestionAttachment {
  const url = file.url_private_download ?? file.url_private;
  const contentType = file.mimetype ?? null;
  return {
    name: file.name ?? file.title ?? 'file',
    contentType,
    size: file.size ?? 0,
    width: file.original_w ?? null,
    height: file.original_h ?? null,
    async load(signal) {
      // Slack leaves the URL out of files it hides (another workspace's, over the plan's limit).
      if (url === undefined) throw new AttachmentDownloadError('forbidden', 'Slack gave no URL for this file');
      const downloaded = await fetch(url, signal);
      // Without files:read Slack answers 200 with its sign-in page instead of the file.
      if (isHtml(downloaded.contentType) && !isHtml(contentType)) {
        throw new AttachmentDownloadError('forbidden', 'Slack answered with its sign-in page (is files:read granted?)');
      }
      return downloaded.bytes;
    },
  };
}

const isHtml = (contentType: string | null): boolean => contentType?.split(';')[0]?.trim() === 'text/html';
