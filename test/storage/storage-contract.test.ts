import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/core/ports/conversation-store.js';
import type { ChannelLease, Storage, StreamingReply, TokenCounts } from '../../src/core/ports/storage.js';
import { backends } from './storage-backends.js';
import type { BackendSession } from './storage-backends.js';

// What every Storage promises, checked against each implementation over its real engine.

const exchange = (id: string, answer = `answer ${id}`): Exchange => ({ id, question: `question ${id}`, answer });

const tokens = (input: number, output: number, cacheRead: number, cacheCreation: number): TokenCounts => ({
  input,
  output,
  cacheRead,
  cacheCreation,
});

const reply = (answerId: string, startedAt: number, overrides: Partial<StreamingReply> = {}): StreamingReply => ({
  answerId,
  channelId: 'channel-1',
  locators: [`${answerId}-message-1`],
  owner: 'process-a',
  startedAt,
  ...overrides,
});

const never = () => new AbortController().signal;

describe.each(backends)('$name storage', (backend) => {
  let session: BackendSession;
  let storage: Storage;

  beforeEach(async () => {
    session = await backend.session();
    storage = await session.open();
  });
  afterEach(async () => {
    await session.cleanUp();
  });

  describe('conversations', () => {
    it('loads what was stored, oldest first', async () => {
      await storage.conversations.upsert('c1', exchange('a'));
      await storage.conversations.upsert('c1', exchange('b'));
      expect(await storage.conversations.load('c1')).toEqual([exchange('a'), exchange('b')]);
    });

    it('loads an empty conversation for a channel never written to', async () => {
      expect(await storage.conversations.load('nobody')).toEqual([]);
    });

    it('replaces an exchange with the same id in its place, and appends a new one', async () => {
      for (const id of ['a', 'b', 'c']) await storage.conversations.upsert('c1', exchange(id));
      await storage.conversations.upsert('c1', exchange('b', 'regenerated'));
      await storage.conversations.upsert('c1', exchange('d'));
      expect(await storage.conversations.load('c1')).toEqual([
        exchange('a'),
        exchange('b', 'regenerated'),
        exchange('c'),
        exchange('d'),
      ]);
    });

    it('removes one exchange, and ignores an id it does not have', async () => {
      for (const id of ['a', 'b', 'c']) await storage.conversations.upsert('c1', exchange(id));
      await storage.conversations.remove('c1', 'b');
      await storage.conversations.remove('c1', 'unknown');
      expect(await storage.conversations.load('c1')).toEqual([exchange('a'), exchange('c')]);
    });

    it('appends an exchange again after it was removed', async () => {
      for (const id of ['a', 'b']) await storage.conversations.upsert('c1', exchange(id));
      await storage.conversations.remove('c1', 'a');
      await storage.conversations.upsert('c1', exchange('a', 'again'));
      expect(await storage.conversations.load('c1')).toEqual([exchange('b'), exchange('a', 'again')]);
    });

    it('clears a channel and says how many exchanges it dropped', async () => {
      for (const id of ['a', 'b', 'c']) await storage.conversations.upsert('c1', exchange(id));
      expect(await storage.conversations.clear('c1')).toBe(3);
      expect(await storage.conversations.load('c1')).toEqual([]);
      expect(await storage.conversations.clear('c1')).toBe(0);
    });

    it('keeps only the newest `keep` exchanges', async () => {
      const bounded = await session.open({ keep: 3 });
      for (const id of ['a', 'b', 'c', 'd', 'e']) await bounded.conversations.upsert('c1', exchange(id));
      expect(await bounded.conversations.load('c1')).toEqual(['c', 'd', 'e'].map((id) => exchange(id)));
      // Replacing one still kept does not push anything out.
      await bounded.conversations.upsert('c1', exchange('c', 'regenerated'));
      expect(await bounded.conversations.load('c1')).toEqual([
        exchange('c', 'regenerated'),
        exchange('d'),
        exchange('e'),
      ]);
    });

    it('keeps channels apart', async () => {
      await storage.conversations.upsert('c1', exchange('a'));
      await storage.conversations.upsert('c2', exchange('a', 'other channel'));
      await storage.conversations.upsert('c2', exchange('b'));
      expect(await storage.conversations.clear('c2')).toBe(2);
      expect(await storage.conversations.load('c1')).toEqual([exchange('a')]);
    });
  });

  describe('usage', () => {
    it('adds to the counters and returns the totals', async () => {
      expect(await storage.usage.add('user:1', tokens(10, 20, 30, 40))).toEqual(tokens(10, 20, 30, 40));
      expect(await storage.usage.add('user:1', tokens(1, 2, 3, 4))).toEqual(tokens(11, 22, 33, 44));
      expect(await storage.usage.get('user:1')).toEqual(tokens(11, 22, 33, 44));
    });

    it('counts zero for a key never added to, and keeps keys apart', async () => {
      await storage.usage.add('user:1', tokens(1, 1, 1, 1));
      expect(await storage.usage.get('user:2')).toEqual(tokens(0, 0, 0, 0));
    });

    it('loses no add among 50 at once', async () => {
      const totals = await Promise.all(
        Array.from({ length: 50 }, (_, index) => storage.usage.add('user:1', tokens(1, 2, index, 0))),
      );
      const expected = tokens(50, 100, (49 * 50) / 2, 0);
      expect(await storage.usage.get('user:1')).toEqual(expected);
      // Every add saw a distinct state, and one of them the final one.
      expect(new Set(totals.map((total) => total.input)).size).toBe(50);
      expect(totals).toContainEqual(expected);
    });
  });

  describe('streaming replies', () => {
    it('lists what was put, oldest first', async () => {
      await storage.streaming.put(reply('newer', 2_000));
      await storage.streaming.put(reply('older', 1_000, { channelId: 'channel-2' }));
      expect(await storage.streaming.list()).toEqual([
        reply('older', 1_000, { channelId: 'channel-2' }),
        reply('newer', 2_000),
      ]);
    });

    it('updates a reply put again', async () => {
      await storage.streaming.put(reply('a', 1_000));
      const grown = reply('a', 1_000, { locators: ['m1', 'm2', 'm3'], owner: 'process-b' });
      await storage.streaming.put(grown);
      expect(await storage.streaming.list()).toEqual([grown]);
    });

    it('forgets a removed reply, and ignores an unknown one', async () => {
      await storage.streaming.put(reply('a', 1_000));
      await storage.streaming.put(reply('b', 2_000));
      await storage.streaming.remove('a');
      await storage.streaming.remove('unknown');
      expect(await storage.streaming.list()).toEqual([reply('b', 2_000)]);
    });
  });

  describe('channel locks', () => {
    it('makes a second acquire wait until the first is released', async () => {
      const events: string[] = [];
      const first = await storage.locks.acquire('c1', never());
      const second = storage.locks.acquire('c1', never()).then((lease) => {
        events.push('second acquired');
        return lease;
      });
      // Round trips through the engine give the waiter every chance to take the lock wrongly.
      for (let trip = 0; trip < 5; trip++) await storage.usage.get('round-trip');
      events.push('first released');
      await first.release();
      await (await second).release();
      expect(events).toEqual(['first released', 'second acquired']);
    });

    it('never lets two holders in at once (20 at once on one channel)', async () => {
      let holding = 0;
      let mostAtOnce = 0;
      let cycles = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const lease = await storage.locks.acquire('c1', never());
          holding += 1;
          mostAtOnce = Math.max(mostAtOnce, holding);
          await storage.usage.add('work', tokens(1, 0, 0, 0));
          holding -= 1;
          cycles += 1;
          await lease.release();
        }),
      );
      expect(cycles).toBe(20);
      expect(mostAtOnce).toBe(1);
    });

    it('lets different channels be held at once', async () => {
      const one = await storage.locks.acquire('c1', never());
      const two = await storage.locks.acquire('c2', never());
      await Promise.all([one.release(), two.release()]);
    });

    it('rejects a waiting acquire that is aborted, which then never takes the lock', async () => {
      const holder = await storage.locks.acquire('c1', never());
      const controller = new AbortController();
      const waiting = storage.locks.acquire('c1', controller.signal);
      const reason = new Error('the question was deleted');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      await holder.release();
      // Were the aborted waiter still queued or holding, this would wait forever.
      const next = await storage.locks.acquire('c1', never());
      await next.release();
    });

    it('rejects at once when the signal has already aborted', async () => {
      const controller = new AbortController();
      const reason = new Error('gone');
      controller.abort(reason);
      await expect(storage.locks.acquire('c1', controller.signal)).rejects.toBe(reason);
      const lease = await storage.locks.acquire('c1', never());
      await lease.release();
    });

    it('takes a second release as a no-op', async () => {
      const first: ChannelLease = await storage.locks.acquire('c1', never());
      await first.release();
      const second = await storage.locks.acquire('c1', never());
      await first.release();
      let thirdAcquired = false;
      const third = storage.locks.acquire('c1', never()).then((lease) => {
        thirdAcquired = true;
        return lease;
      });
      for (let trip = 0; trip < 5; trip++) await storage.usage.get('round-trip');
      expect(thirdAcquired).toBe(false);
      await second.release();
      await (await third).release();
    });
  });
});

// A storage whose engine fails (closed here; SQLITE_BUSY between processes, a dropped Redis connection
// in production) answers every call with a rejected promise: never an exception thrown out of the call,
// which an awaiting caller might not expect and a fire-and-forget one would lose.
describe.each(backends.filter((backend) => backend.name !== 'memory'))('$name storage, closed', (backend) => {
  it('rejects every call instead of throwing', async () => {
    const session = await backend.session();
    const storage = await session.open();
    await storage.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['conversations.load', () => storage.conversations.load('c1')],
      ['conversations.upsert', () => storage.conversations.upsert('c1', exchange('a'))],
      ['conversations.remove', () => storage.conversations.remove('c1', 'a')],
      ['conversations.clear', () => storage.conversations.clear('c1')],
      ['usage.add', () => storage.usage.add('user:1', tokens(1, 1, 1, 1))],
      ['usage.get', () => storage.usage.get('user:1')],
      ['streaming.put', () => storage.streaming.put(reply('a', 1_000))],
      ['streaming.remove', () => storage.streaming.remove('a')],
      ['streaming.list', () => storage.streaming.list()],
    ];
    try {
      for (const [name, call] of calls) {
        let answered: Promise<unknown> | undefined;
        expect(() => (answered = call()), name).not.toThrow();
        await expect(answered, name).rejects.toBeInstanceOf(Error);
      }
    } finally {
      await session.cleanUp();
    }
  });
});
