import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/core/ports/logger.js';
import { createReadinessCheck } from '../../../src/ops/readiness.js';
import type { ReadinessDeps } from '../../../src/ops/readiness.js';

afterEach(() => {
  vi.useRealTimers();
});

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (...args: [object | string, string?]) =>
      lines.push(`${level}: ${typeof args[0] === 'string' ? args[0] : (args[1] ?? '')}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function check(overrides: Partial<ReadinessDeps> = {}) {
  return createReadinessCheck({
    gateway: () => [],
    ping: () => Promise.resolve(),
    stopping: () => false,
    logger: recordingLogger(),
    ...overrides,
  });
}

describe('the readiness check', () => {
  it('is ready when every shard is ready, the storage answers and the bot is not stopping', async () => {
    expect(await check()()).toEqual({ ready: true, reasons: [] });
  });

  it("lists the gateway's problems, a storage that fails, and stopping", async () => {
    const readiness = check({
      gateway: () => ['shard 0: connecting'],
      ping: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.5:6379')),
      stopping: () => true,
    });
    expect(await readiness()).toEqual({
      ready: false,
      reasons: ['stopping', 'shard 0: connecting', 'storage: not answering'],
    });
  });

  it('gives up on a storage that does not answer in time', async () => {
    vi.useFakeTimers();
    const readiness = check({ ping: () => new Promise<never>(() => {}), pingTimeoutMs: 500 });
    const answer = readiness();
    await vi.advanceTimersByTimeAsync(500);
    expect(await answer).toEqual({ ready: false, reasons: ['storage: no answer within 500 ms'] });
  });

  it("puts the prefix before its own reasons, not before the gateway's", async () => {
    const readiness = check({
      gateway: () => ['shard 1: resuming'],
      ping: () => Promise.reject(new Error('closed')),
      stopping: () => true,
      prefix: 'shard 1: ',
    });
    expect((await readiness()).reasons).toEqual([
      'shard 1: stopping',
      'shard 1: resuming',
      'shard 1: storage: not answering',
    ]);
  });

  it('logs when the storage stops answering and when it answers again, not at every check', async () => {
    const logger = recordingLogger();
    let failing = true;
    const readiness = check({ logger, ping: () => (failing ? Promise.reject(new Error('down')) : Promise.resolve()) });
    await readiness();
    await readiness();
    failing = false;
    await readiness();
    await readiness();
    expect(logger.lines).toEqual(['warn: storage is not answering', 'info: storage answers again']);
  });
});
