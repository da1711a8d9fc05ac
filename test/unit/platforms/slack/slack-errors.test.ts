import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  GoneError,
  RateLimitedError,
  TransientError,
} from '../../../../src/core/reply/platform-errors.js';
import { streamingRefused, toPlatformError } from '../../../../src/platforms/slack/slack-errors.js';

const refused = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });

describe('Slack errors', () => {
  it('map to the core classes by Slack’s error code', () => {
    expect(toPlatformError(refused('message_not_found'))).toBeInstanceOf(GoneError);
    expect(toPlatformError(refused('not_in_channel'))).toBeInstanceOf(ForbiddenError);
    expect(toPlatformError(refused('ratelimited'))).toBeInstanceOf(RateLimitedError);
    expect(toPlatformError(new webApi.WebAPIRateLimitedError(3))).toBeInstanceOf(RateLimitedError);
    expect(toPlatformError(refused('internal_error'))).toBeInstanceOf(TransientError);
    expect(toPlatformError(new Error('socket hang up'))).toBeInstanceOf(TransientError);
  });

  it('tell a workspace without native streaming from other refusals', () => {
    for (const code of ['feature_not_enabled', 'unknown_method', 'method_deprecated']) {
      expect(streamingRefused(refused(code))).toBe(true);
    }
    expect(streamingRefused(refused('missing_recipient_user_id'))).toBe(false);
    expect(streamingRefused(new Error('feature_not_enabled'))).toBe(false);
  });

  it('carry Slack’s Retry-After into the core’s RateLimitedError', () => {
    const mapped = toPlatformError(new webApi.WebAPIRateLimitedError(3));
    expect(mapped).toBeInstanceOf(RateLimitedError);
    expect((mapped as RateLimitedError).retryAfterMs).toBe(3000);
    // Slack's `ratelimited` code (HTTP 200) says no Retry-After.
    expect((toPlatformError(refused('ratelimited')) as RateLimitedError).retryAfterMs).toBeUndefined();
  });
});
