import { webApi } from '@slack/bolt';
import { ForbiddenError, GoneError, RateLimitedError, TransientError } from '../../core/reply/platform-errors.js';
import type { PlatformError } from '../../core/reply/platform-errors.js';

// Slack's refusals, mapped to the core's classes in one place by Slack's error code (`data.error` of
// a platform error), never by message text.

// The message, its thread or its channel is gone: further writes are pointless.
const GONE = new Set(['channel_not_found', 'message_not_found', 'thread_not_found', 'cant_update_message']);
// The app may not write there (not invited, archived, scopes or tokens missing): retrying won't help.
const FORBIDDEN = new Set([
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'message_not_owned_by_app',
  'stopped_by_user',
]);
// Native streaming is not available to this app or workspace: post and update instead.
const STREAMING_REFUSED = new Set(['feature_not_enabled', 'unknown_method', 'method_deprecated']);

/** Slack's error code for a refused call (e.g. 'channel_not_found'); undefined for other failures. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/** Whether chat.startStream was refused because native streaming is unavailable here. */
export function streamingRefused(error: unknown): boolean {
  return STREAMING_REFUSED.has(slackErrorCode(error) ?? '');
}

/** The core's class for a failed Web API call; the original error stays as its cause. */
export function toPlatformError(error: unknown): PlatformError {
  // The WebClient rejects a 429 (rejectRateLimitedCalls) with Slack's Retry-After in seconds.
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new RateLimitedError('rate limited', { cause: error, retryAfterMs: error.retryAfter * 1000 });
  }
  const code = slackErrorCode(error);
  if (code !== undefined && GONE.has(code)) return new GoneError(code, { cause: error });
  if (code !== undefined && FORBIDDEN.has(code)) return new ForbiddenError(code, { cause: error });
  if (code === 'ratelimited') return new RateLimitedError(code, { cause: error });
  return new TransientError(code ?? 'Slack call failed', { cause: error });
}

/** Runs a Web API call; a failure rejects with the core's class for it. */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPlatformError(error);
  }
}
