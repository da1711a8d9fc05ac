import { RespondError } from '@slack/bolt';
import type { RespondArguments } from '@slack/bolt';
import type { Clock } from '../../core/ports/clock.js';
import { ExpiredError, RateLimitedError, TransientError } from '../../core/reply/platform-errors.js';
import type { PlatformError } from '../../core/reply/platform-errors.js';

// A slash command's response_url: what the app says to the caller alone (ephemeral). Slack takes at
// most five posts to it, within 30 minutes of the command; this counts them, so that the answer's
// end always finds one left, and says when none is. Markdown goes in a `markdown` block (Slack
// renders Claude's Markdown there as it does `markdown_text`), with a short plain fallback.

export const RESPONSE_URL_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
const FALLBACK_LENGTH = 150;

export type Respond = (message: RespondArguments) => Promise<unknown>;

export interface ResponseUrl {
  /**
   * Shows `markdown` to the caller; `replace`: in place of the last message posted here. Resolves to
   * false, posting nothing, when no post is left; rejects with a PlatformError when Slack refuses.
   */
  post(markdown: string, options?: { readonly replace?: boolean }): Promise<boolean>;
  /** Posts still allowed. */
  left(): number;
  /** When Slack stops taking posts (epoch ms). */
  readonly expiresAt: number;
}

export function createResponseUrl(respond: Respond, clock: Clock): ResponseUrl {
  const expiresAt = clock.now() + RESPONSE_URL_LIFETIME_MS;
  let used = 0;
  return {
    expiresAt,
    left: () => (clock.now() >= expiresAt ? 0 : RESPONSE_URL_POSTS - used),
    async post(markdown, options = {}) {
      if (this.left() <= 0) return false;
      used += 1;
      try {
        await respond({
          response_type: 'ephemeral',
          replace_original: options.replace ?? false,
          text: fallbackOf(markdown),
          blocks: [{ type: 'markdown', text: markdown }],
        });
      } catch (error) {
        throw respondFailure(error);
      }
      return true;
    },
  };
}

// The notification's text: the first line, cut short.
function fallbackOf(markdown: string): string {
  const line = markdown.trimStart().split('\n', 1)[0] ?? '';
  return line.length > FALLBACK_LENGTH ? `${line.slice(0, FALLBACK_LENGTH - 1)}…` : line || '…';
}

// Slack answers a spent or unknown response_url with 404; by status, never by message text.
function respondFailure(error: unknown): PlatformError {
  const status = error instanceof RespondError ? error.statusCode : undefined;
  if (status === 404 || status === 410) return new ExpiredError('response_url expired', { cause: error });
  if (status === 429) return new RateLimitedError('response_url rate limited', { cause: error });
  return new TransientError('response_url post failed', { cause: error });
}
