import { describe, expect, it } from 'vitest';
import { showEnd, takeChannel } from '../../../../src/core/answer/answer-steps.js';
import type { LogFn, Logger } from '../../../../src/core/ports/logger.js';
import type { ChannelLocks } from '../../../../src/core/ports/storage.js';

const logged: string[] = [];
// Records each line as "<level> <message>".
const record =
  (level: string): LogFn =>
  (first: object | string, message?: string) =>
    void logged.push(`${level} ${typeof first === 'string' ? first : (message ?? '')}`);
const logger: Logger = { debug: () => {}, info: () => {}, warn: record('warn'), error: record('error') };

describe('showEnd', () => {
  it('tries the final edit once more when it fails, and never throws', async () => {
    logged.length = 0;
    const shown: string[] = [];
    let failures = 1;
    const reply = {
      finish(display: string) {
        if (failures-- > 0) return Promise.reject(new Error('500'));
        shown.push(display);
        return Promise.resolve();
      },
    };
    await showEnd(reply, 'the end', [], 'c1', logger);
    expect(shown).toEqual(['the end']);

    failures = 2;
    await expect(showEnd(reply, 'lost', [], 'c1', logger)).resolves.toBeUndefined();
    expect(logged).toEqual([
      'warn final edit failed; retrying',
      'warn final edit failed; retrying',
      'error final edit failed twice',
    ]);
  });
});

describe('takeChannel', () => {
  it('answers without the lock when the lock fails, and says so only when not stopped', async () => {
    logged.length = 0;
    const broken: ChannelLocks = { acquire: () => Promise.reject(new Error('redis down')) };
    expect(await takeChannel(broken, 'c1', new AbortController().signal, logger)).toBeNull();
    const stopped = new AbortController();
    stopped.abort();
    expect(await takeChannel(broken, 'c1', stopped.signal, logger)).toBeNull();
    expect(logged).toEqual(['error could not lock the channel']);
  });
});
