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

  describe('ping', () => {
    it('answers while the store is open', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });

  describe('conversations', () => {
    it('loads what was stored, oldest first', async () => {
      await storage.conversations.upsert('c1', exchange('a'));
      await storage.conversations.upsert('c1', exchange('b'));
      expect(await storage.conversations.load('c1')).toEqual([exchange('a'), exchange('b')]);
    });

    it('keeps answer blocks, the exchange followed and reply ids, and drops them when replaced without', async () => {
      const blocks = [
        { type: 'thinking', thinking: 'hm', signature: 'sig==' },
        { type: 'text', text: 'é ✓', citations: [{ url: 'https://x.test/', title: null }] },
      ];
      const full = { ...exchange('b'), answerBlocks: blocks, parentId: 'a', replyIds: ['m1', 'm2'] };
      await storage.conversations.upsert('c1', exchange('a'));
      await storage.conversations.upsert('c1', full);
      expect(await storage.conversations.load('c1')).toEqual([exchange('a'), full]);
      await storage.conversations.upsert('c1', exchange('b', 'plain'));
      expect(await storage.conversations.load('c1')).toEqual([exchange('a'), exchange('b', 'plain')]);
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

  describe('usage rankings', () => {
    it('reads many counters in the order asked, zero for keys never added to', async () => {
      await storage.usage.add('user:1', tokens(1, 2, 3, 4));
      await storage.usage.add('user:3', tokens(5, 6, 7, 8));
      expect(await storage.usage.getMany(['user:3', 'user:2', 'user:1', 'user:3'])).toEqual([
        tokens(5, 6, 7, 8),
        tokens(0, 0, 0, 0),
        tokens(1, 2, 3, 4),
        tokens(5, 6, 7, 8),
      ]);
      expect(await storage.usage.getMany([])).toEqual([]);
    });

    it('ranks members by their summed scores, highest first, at most `limit`', async () => {
      await storage.usage.rank('channels:day-1', 'c1', 10);
      await storage.usage.rank('channels:day-1', 'c2', 25);
      await storage.usage.rank('channels:day-1', 'c3', 5);
      await storage.usage.rank('channels:day-1', 'c1', 30);
      await storage.usage.rank('channels:day-2', 'c3', 1_000);
      expect(await storage.usage.top('channels:day-1', 2)).toEqual([
        { member: 'c1', score: 40 },
        { member: 'c2', score: 25 },
      ]);
      expect(await storage.usage.top('channels:day-1', 10)).toEqual([
        { member: 'c1', score: 40 },
        { member: 'c2', score: 25 },
        { member: 'c3', score: 5 },
      ]);
      expect(await storage.usage.top('channels:day-1', 0)).toEqual([]);
      expect(await storage.usage.top('channels:day-1', -1)).toEqual([]);
      expect(await storage.usage.top('never-ranked', 5)).toEqual([]);
    });

    it('loses no rank among 50 at once', async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) => storage.usage.rank('users:day-1', `u${index % 2}`, 1)),
      );
      expect(await storage.usage.top('users:day-1', 5)).toEqual([
        { member: expect.stringMatching(/^u[01]$/) as unknown, score: 25 },
        { member: expect.stringMatching(/^u[01]$/) as unknown, score: 25 },
      ]);
    });
  });

  describe('request windows', () => {
    const MINUTE = 60_000;
    // Some minute boundary, so that the windows below are easy to read.
    const start = 1_800_000_000_000;

    it('takes requests up to the limit in a window, then refuses them without counting', async () => {
      const takes = [];
      for (const offset of [0, 1_000, 30_000, 59_999]) {
        takes.push(await storage.requests.take('user:1', 3, MINUTE, start + offset));
      }
      expect(takes).toEqual([
        { taken: true, count: 1, resetsAt: start + MINUTE },
        { taken: true, count: 2, resetsAt: start + MINUTE },
        { taken: true, count: 3, resetsAt: start + MINUTE },
        { taken: false, count: 3, resetsAt: start + MINUTE },
      ]);
    });

    it('starts counting again in the next window', async () => {
      await storage.requests.take('user:1', 1, MINUTE, start);
      expect(await storage.requests.take('user:1', 1, MINUTE, start + 10)).toMatchObject({ taken: false });
      expect(await storage.requests.take('user:1', 1, MINUTE, start + MINUTE)).toEqual({
        taken: true,
        count: 1,
        resetsAt: start + 2 * MINUTE,
      });
      // A window long after the last one counted starts from nothing too.
      expect(await storage.requests.take('user:1', 1, MINUTE, start + 10 * MINUTE + 5)).toEqual({
        taken: true,
        count: 1,
        resetsAt: start + 11 * MINUTE,
      });
    });

    it('keeps keys apart, a long window running while a short one rolls over', async () => {
      const HOUR = 60 * MINUTE;
      expect(await storage.requests.take('notice:1', 1, HOUR, start)).toMatchObject({ taken: true });
      await storage.requests.take('user:1', 1, MINUTE, start);
      await storage.requests.take('user:1', 1, MINUTE, start + 2 * MINUTE);
      expect(await storage.requests.take('user:2', 1, MINUTE, start + 2 * MINUTE)).toMatchObject({ taken: true });
      expect(await storage.requests.take('notice:1', 1, HOUR, start + 3 * MINUTE)).toEqual({
        taken: false,
        count: 1,
        resetsAt: start + HOUR,
      });
    });

    it('refuses every request under a limit of 0', async () => {
      expect(await storage.requests.take('user:1', 0, MINUTE, start)).toEqual({
        taken: false,
        count: 0,
        resetsAt: start + MINUTE,
      });
    });

    it('takes exactly one of 20 concurrent requests at one below the limit', async () => {
      const handles = backend.sharesData ? [storage, await session.open()] : [storage];
      for (let index = 0; index < 4; index++) await storage.requests.take('user:1', 5, MINUTE, start);
      const takes = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          handles[index % handles.length]!.requests.take('user:1', 5, MINUTE, start + index),
        ),
      );
      expect(takes.filter((take) => take.taken)).toEqual([{ taken: true, count: 5, resetsAt: start + MINUTE }]);
      expect(takes.filter((take) => !take.taken)).toHaveLength(19);
    });
  });

  describe('settings', () => {
    const persona = 'You answer in haiku.';

    it('reads {} for scopes never set, each scope in the order asked', async () => {
      await storage.settings.update('channel:1', () => ({ persona }));
      expect(await storage.settings.getMany(['guild:1', 'channel:1', 'channel:2'])).toEqual([{}, { persona }, {}]);
      expect(await storage.settings.getMany([])).toEqual([]);
    });

    it('stores what the change makes of the current settings, and resolves to it', async () => {
      const access = { allowedChannelIds: ['c1', 'c2'], blockedUserIds: ['u9'] };
      expect(await storage.settings.update('guild:1', () => ({ persona, access }))).toEqual({ persona, access });
      const merged = await storage.settings.update('guild:1', (current) => ({
        ...current,
        model: 'claude-model-b',
        maxTokens: 512,
      }));
      const expected = { persona, access, model: 'claude-model-b', maxTokens: 512 };
      expect(merged).toEqual(expected);
      expect(await storage.settings.getMany(['guild:1'])).toEqual([expected]);
    });

    it('forgets a scope whose settings become empty', async () => {
      await storage.settings.update('channel:1', () => ({ persona, model: 'claude-model-b' }));
      await storage.settings.update('channel:1', () => ({ model: 'claude-model-b' }));
      expect(await storage.settings.getMany(['channel:1'])).toEqual([{ model: 'claude-model-b' }]);
      expect(await storage.settings.update('channel:1', () => ({}))).toEqual({});
      expect(await storage.settings.getMany(['channel:1'])).toEqual([{}]);
      // It starts from nothing again.
      expect(await storage.settings.update('channel:1', (current) => ({ ...current, persona }))).toEqual({ persona });
    });

    it('stores nothing when the change throws, and rejects with its error', async () => {
      await storage.settings.update('guild:1', () => ({ persona }));
      const failure = new Error('not a model we allow');
      await expect(
        storage.settings.update('guild:1', () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await storage.settings.getMany(['guild:1'])).toEqual([{ persona }]);
    });

    it('loses no update among 20 at once (from two processes where the store is shared)', async () => {
      const handles = backend.sharesData ? [storage, await session.open()] : [storage];
      const ids = Array.from({ length: 20 }, (_, index) => `u${index}`);
      await Promise.all(
        ids.map((id, index) =>
          handles[index % handles.length]!.settings.update('guild:1', (current) => ({
            ...current,
            access: { allowedUserIds: [...(current.access?.allowedUserIds ?? []), id] },
          })),
        ),
      );
      const [stored] = await storage.settings.getMany(['guild:1']);
      expect([...(stored?.access?.allowedUserIds ?? [])].sort()).toEqual([...ids].sort());
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
      ['usage.getMany', () => storage.usage.getMany(['user:1'])],
      ['usage.rank', () => storage.usage.rank('users', 'u1', 1)],
      ['usage.top', () => storage.usage.top('users', 5)],
      ['requests.take', () => storage.requests.take('user:1', 5, 60_000, 0)],
      ['settings.getMany', () => storage.settings.getMany(['guild:1'])],
      ['settings.update', () => storage.settings.update('guild:1', () => ({ model: 'm' }))],
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
