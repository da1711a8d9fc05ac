import { describe, expect, it } from 'vitest';
import { view } from '../../../../src/core/reply/message-view.js';
import { observedTarget } from '../../../../src/core/reply/observed-target.js';
import { ForbiddenError, GoneError, TransientError } from '../../../../src/core/reply/platform-errors.js';
import type { PlatformErrorKind } from '../../../../src/core/reply/platform-errors.js';
import type { PostedMessage, ReplyTarget } from '../../../../src/core/reply/reply-target.js';

function message(id: string, fail: { edit?: Error; delete?: Error } = {}): PostedMessage {
  return {
    id,
    budgetKey: 'channel-1',
    locator: `locator-${id}`,
    edit: () => (fail.edit ? Promise.reject(fail.edit) : Promise.resolve()),
    delete: () => (fail.delete ? Promise.reject(fail.delete) : Promise.resolve()),
  };
}

function observe(target: ReplyTarget) {
  const failed: (PlatformErrorKind | 'other')[] = [];
  return { target: observedTarget(target, (kind) => failed.push(kind)), failed };
}

describe('observedTarget', () => {
  it("tells each refused write of the reply by its error's class, and the caller still gets the error", async () => {
    const gone = new GoneError('Unknown Message');
    const { target, failed } = observe({
      channelId: 'channel-1',
      start: () => Promise.resolve(message('m1', { edit: gone })),
      followUp: () => Promise.reject(new ForbiddenError('Missing Permissions')),
    });

    const first = await target.start(view('…'));
    await expect(first.edit(view('text'))).rejects.toBe(gone);
    await expect(target.followUp(view('more'))).rejects.toThrow('Missing Permissions');
    expect(failed).toEqual(['gone', 'forbidden']);
  });

  it('tells an error without a platform class as other, and nothing for writes that landed', async () => {
    const { target, failed } = observe({
      channelId: 'channel-1',
      start: () => Promise.resolve(message('m1', { delete: new Error('a bug of ours') })),
      followUp: () => Promise.resolve(message('m2', { edit: new TransientError('503') })),
    });

    const first = await target.start(view('…'));
    await first.edit(view('text'));
    await expect(first.delete()).rejects.toThrow('a bug of ours');
    await expect((await target.followUp(view('more'))).edit(view('more text'))).rejects.toThrow('503');
    expect(failed).toEqual(['other', 'transient']);
  });

  it('keeps what the target and its messages are: channel, deadline, ids, buckets, locators', async () => {
    const deadline = { at: 1000, continuesAfterDeadline: true };
    const { target } = observe({
      channelId: 'channel-1',
      deadline,
      start: () => Promise.resolve(message('m1')),
      followUp: () => Promise.resolve(message('m2')),
    });
    expect(target).toMatchObject({ channelId: 'channel-1', deadline });
    expect(await target.start(view('…'))).toMatchObject({ id: 'm1', budgetKey: 'channel-1', locator: 'locator-m1' });
  });
});
