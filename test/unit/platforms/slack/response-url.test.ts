import { RespondError } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { ExpiredError, RateLimitedError, TransientError } from '../../../../src/core/reply/platform-errors.js';
import {
  createResponseUrl,
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_POSTS,
} from '../../../../src/platforms/slack/response-url.js';

function clockAt(start: number): Clock & { move: (ms: number) => void } {
  let now = start;
  return { now: () => now, elapsed: () => now, move: (ms) => (now += ms) };
}

describe('a slash command’s response_url', () => {
  it('posts ephemeral Markdown in a markdown block, with a short plain fallback', async () => {
    const respond = vi.fn(() => Promise.resolve());
    const url = createResponseUrl(respond, clockAt(0));
    const long = `**${'x'.repeat(300)}**\nsecond line`;
    expect(await url.post(long, { replace: true })).toBe(true);
    expect(respond).toHaveBeenCalledWith({
      response_type: 'ephemeral',
      replace_original: true,
      text: `${long.slice(0, 149)}…`,
      blocks: [{ type: 'markdown', text: long }],
    });
  });

  it('takes five posts within 30 minutes, then none', async () => {
    const respond = vi.fn(() => Promise.resolve());
    const clock = clockAt(1000);
    const url = createResponseUrl(respond, clock);
    expect(url.expiresAt).toBe(1000 + RESPONSE_URL_LIFETIME_MS);
    for (let post = 0; post < RESPONSE_URL_POSTS; post += 1) expect(await url.post('hi')).toBe(true);
    expect(url.left()).toBe(0);
    expect(await url.post('one too many')).toBe(false);
    expect(respond).toHaveBeenCalledTimes(RESPONSE_URL_POSTS);

    const later = createResponseUrl(respond, clock);
    clock.move(RESPONSE_URL_LIFETIME_MS);
    expect(await later.post('too late')).toBe(false);
  });

  it('rejects with the core’s class for Slack’s refusal, by status', async () => {
    const failing = (status: number) =>
      createResponseUrl(() => Promise.reject(new RespondError('refused', status)), clockAt(0)).post('hi');
    await expect(failing(404)).rejects.toBeInstanceOf(ExpiredError);
    await expect(failing(429)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(failing(500)).rejects.toBeInstanceOf(TransientError);
  });
});
