import { describe, expect, it } from 'vitest';
import { sweepInterruptedReplies } from '../../../../src/core/answer/restart-sweep.js';
import type { RestartSweepDeps } from '../../../../src/core/answer/restart-sweep.js';
import type { Logger } from '../../../../src/core/ports/logger.js';
import type { StreamingReply } from '../../../../src/core/ports/storage.js';
import { GoneError } from '../../../../src/core/reply/platform-errors.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const reply = (answerId: string, channelId: string, owner = 'dead'): StreamingReply => ({
  answerId,
  channelId,
  locators: [`${channelId}/m-${answerId}`],
  owner,
  startedAt: 0,
});

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (first: unknown, message?: string) =>
    void lines.push(`${level} ${typeof first === 'string' ? first : (message ?? '')}`);
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

async function sweep(replies: readonly StreamingReply[], overrides: Partial<RestartSweepDeps> = {}) {
  const storage = createMemoryStorage({ keep: 1 });
  for (const entry of replies) await storage.streaming.put(entry);
  const marked: string[] = [];
  const { logger, lines } = capturingLogger();
  const swept = await sweepInterruptedReplies({
    storage,
    owner: 'me',
    logger,
    waitMs: 1000,
    signal: new AbortController().signal,
    servedHere: (entry) => Promise.resolve(entry.channelId.startsWith('ours')),
    markInterrupted: (entry) => Promise.resolve(void marked.push(entry.answerId)),
    toCoreError: (error) => error,
    ...overrides,
  });
  const left = (await storage.streaming.list()).map((entry) => entry.answerId);
  return { swept, marked, left, lines };
}

describe('sweepInterruptedReplies', () => {
  it('marks the replies a dead owner left in places served here, and takes them off the record', async () => {
    const result = await sweep([reply('a', 'ours-1'), reply('b', 'theirs-1'), reply('c', 'ours-2', 'me')]);
    expect(result.swept).toBe(1);
    expect(result.marked).toEqual(['a']);
    // Another platform's record and this process's own are left as they are.
    expect(result.left).toEqual(['b', 'c']);
  });

  it('takes a reply off the record when marking fails, quietly when the message is gone', async () => {
    const gone = await sweep([reply('a', 'ours-1')], {
      markInterrupted: () => Promise.reject(new GoneError('message_not_found')),
    });
    expect(gone).toMatchObject({ swept: 0, left: [] });
    expect(gone.lines).toEqual(['info could not mark an interrupted reply']);

    const failed = await sweep([reply('a', 'ours-1')], { markInterrupted: () => Promise.reject(new Error('boom')) });
    expect(failed).toMatchObject({ swept: 0, left: [] });
    expect(failed.lines).toEqual(['warn could not mark an interrupted reply']);
  });

  it('leaves a reply whose channel its owner still holds when the wait is given up', async () => {
    const storage = createMemoryStorage({ keep: 1 });
    await storage.streaming.put(reply('a', 'ours-1'));
    const held = await storage.locks.acquire('ours-1', new AbortController().signal);
    const stopping = new AbortController();
    const swept = await sweepInterruptedReplies({
      storage,
      owner: 'me',
      logger: capturingLogger().logger,
      waitMs: 60_000,
      signal: stopping.signal,
      // The bot stops while the sweep waits for the channel.
      servedHere: () => Promise.resolve(void stopping.abort()).then(() => true),
      markInterrupted: () => Promise.reject(new Error('must not be called')),
      toCoreError: (error) => error,
    });
    await held.release();
    expect(swept).toBe(0);
    expect((await storage.streaming.list()).map((entry) => entry.answerId)).toEqual(['a']);
  });
});
