import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../../src/core/keyed-queue.js';

// Turns per key, in arrival order; keys independent. Nothing here depends on time: each test drives
// the tasks by resolving them, and lets queued callbacks run with a settled promise.

function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** Lets every callback already queued run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createKeyedQueue', () => {
  it('runs the tasks of one key one at a time, in arrival order', async () => {
    const queue = createKeyedQueue();
    const events: string[] = [];
    const first = deferred();
    const one = queue.run('a', async () => {
      events.push('one starts');
      await first.promise;
      events.push('one ends');
      return 1;
    });
    const two = queue.run('a', () => {
      events.push('two starts');
      return Promise.resolve(2);
    });
    await settle();
    expect(events).toEqual(['one starts']);
    first.resolve();
    expect(await Promise.all([one, two])).toEqual([1, 2]);
    expect(events).toEqual(['one starts', 'one ends', 'two starts']);
  });

  it('runs different keys at once', async () => {
    const queue = createKeyedQueue();
    const blocker = deferred();
    const started: string[] = [];
    const a = queue.run('a', async () => {
      started.push('a');
      await blocker.promise;
    });
    const b = queue.run('b', () => {
      started.push('b');
      return Promise.resolve();
    });
    await b;
    expect(started).toEqual(['a', 'b']);
    blocker.resolve();
    await a;
  });

  it('goes on with the next task after one fails, and hands the failure to its caller only', async () => {
    const queue = createKeyedQueue();
    const failing = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', () => Promise.resolve('still runs'));
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('still runs');
  });

  it('gives a turn entered with enter() its go once the turns before it leave', async () => {
    const queue = createKeyedQueue();
    const events: string[] = [];
    const first = queue.enter('a');
    const second = queue.enter('a');
    void first.ready.then(() => events.push('first ready'));
    void second.ready.then(() => events.push('second ready'));
    await settle();
    expect(events).toEqual(['first ready']);
    first.leave();
    await settle();
    expect(events).toEqual(['first ready', 'second ready']);
    second.leave();
  });

  it('passes the go straight on when a waiting turn is given up before it came', async () => {
    const queue = createKeyedQueue();
    const holder = queue.enter('a');
    const quitter = queue.enter('a');
    const third = queue.enter('a');
    let thirdReady = false;
    void third.ready.then(() => (thirdReady = true));
    quitter.leave();
    await settle();
    expect(thirdReady).toBe(false);
    holder.leave();
    await settle();
    expect(thirdReady).toBe(true);
    third.leave();
  });

  it('takes leaving twice as leaving once', async () => {
    const queue = createKeyedQueue();
    const first = queue.enter('a');
    const second = queue.enter('a');
    const third = queue.enter('a');
    let thirdReady = false;
    void third.ready.then(() => (thirdReady = true));
    await first.ready;
    first.leave();
    await second.ready;
    first.leave();
    await settle();
    expect(thirdReady).toBe(false);
    second.leave();
    await third.ready;
    third.leave();
  });

  it('lets a key that went idle start afresh', async () => {
    const queue = createKeyedQueue();
    expect(await queue.run('a', () => Promise.resolve(1))).toBe(1);
    await settle();
    // A new task on the idle key starts at once, not behind anything left over.
    const started = deferred();
    const running = queue.run('a', () => {
      started.resolve();
      return Promise.resolve(2);
    });
    await started.promise;
    expect(await running).toBe(2);
  });
});
