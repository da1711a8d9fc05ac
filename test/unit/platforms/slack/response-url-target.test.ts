import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../src/core/ports/clock.js';
import type { Logger } from '../../../../src/core/ports/logger.js';
import { view } from '../../../../src/core/reply/message-view.js';
import { ExpiredError } from '../../../../src/core/reply/platform-errors.js';
import { createResponseUrl, RESPONSE_URL_LIFETIME_MS } from '../../../../src/platforms/slack/response-url.js';
import type { Respond } from '../../../../src/platforms/slack/response-url.js';
import { responseUrlTarget } from '../../../../src/platforms/slack/response-url-target.js';

function clockAt(start: number): Clock & { move: (ms: number) => void } {
  let now = start;
  return { now: () => now, elapsed: () => now, move: (ms) => (now += ms) };
}

const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } as unknown as Logger;

function privateAnswer() {
  const sent: { text: string; replace: boolean }[] = [];
  const respond: Respond = (message) => {
    const { blocks = [], replace_original: replace = false } = message as {
      blocks?: { text: string }[];
      replace_original?: boolean;
    };
    sent.push({ text: blocks[0]?.text ?? '', replace });
    return Promise.resolve();
  };
  const clock = clockAt(0);
  const url = createResponseUrl(respond, clock);
  const target = responseUrlTarget(url, { answerId: 'a1', channelId: 'slack:T:C', clock, logger });
  return { sent, clock, target };
}

const streaming = (text: string) => view(text, ['stop']);

describe('a private answer through the response_url', () => {
  it('shows the placeholder, at most two updates ten seconds apart, and always the end', async () => {
    const { sent, clock, target } = privateAnswer();
    const message = await target.start(streaming('…'));
    await message.edit(streaming('Too'));
    clock.move(10_000);
    await message.edit(streaming('Ten seconds'));
    clock.move(5_000);
    await message.edit(streaming('Too soon'));
    clock.move(10_000);
    await message.edit(streaming('Second update'));
    clock.move(10_000);
    await message.edit(streaming('Kept for the end'));
    await message.edit(view('The end.'));
    expect(sent).toEqual([
      { text: '…', replace: false },
      { text: 'Ten seconds', replace: true },
      { text: 'Second update', replace: true },
      { text: 'The end.', replace: true },
    ]);
  });

  it('posts a next piece as a new message and leaves the older one as it ended', async () => {
    const { sent, target } = privateAnswer();
    const first = await target.start(streaming('…'));
    await first.edit(view('Piece one.'));
    const second = await target.followUp(streaming('Piece two'));
    await first.edit(view('Piece one, edited late.'));
    await second.edit(view('Piece two.'));
    expect(sent.map((post) => post.text)).toEqual(['…', 'Piece one.', 'Piece two', 'Piece two.']);
    expect(await target.followUp(view('No post left'))).toBeDefined();
    await expect(target.followUp(view('None at all'))).rejects.toBeInstanceOf(ExpiredError);
  });

  it('neutralises mentions in the model’s text and is sealed before the URL expires', async () => {
    const { sent, target } = privateAnswer();
    await target.start(view('Hi <!channel>'));
    expect(sent[0]?.text).toBe('Hi <\u2060!channel>');
    expect(target.deadline).toEqual({ at: RESPONSE_URL_LIFETIME_MS - 60_000, continuesAfterDeadline: false });
  });
});
