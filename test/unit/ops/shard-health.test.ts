import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerShardingManager, askShard } from '../../../src/ops/shard-health.js';
import type { ManagerChannel, ShardChannel } from '../../../src/ops/shard-health.js';

// The questions between the sharding manager and a shard process, over a stand-in for their IPC channel.

afterEach(() => {
  vi.useRealTimers();
});

function channelPair() {
  const toShard = new EventEmitter();
  const toManager = new EventEmitter();
  const sentToManager: unknown[] = [];
  const shardSide: ManagerChannel = {
    on: (event, listener) => toShard.on(event, listener),
    off: (event, listener) => toShard.off(event, listener),
    send: (message) => {
      sentToManager.push(message);
      return toManager.emit('message', structuredClone(message));
    },
  };
  const managerSide: ShardChannel = {
    id: 3,
    process: {},
    ready: true,
    send: (message) => Promise.resolve(toShard.emit('message', structuredClone(message))),
    on: (event, listener) => toManager.on(event, listener),
    off: (event, listener) => toManager.off(event, listener),
  };
  return { shardSide, managerSide, toShard, toManager, sentToManager };
}

const answers = {
  readiness: () => Promise.resolve({ ready: false, reasons: ['shard 3: identifying'] }),
  metrics: () => Promise.resolve([]),
};

describe('the shard health questions', () => {
  it('get the shard’s readiness to the manager', async () => {
    const { shardSide, managerSide } = channelPair();
    answerShardingManager(shardSide, answers, () => {});
    expect(await askShard(managerSide, 'readyz', 1000)).toEqual({ ready: false, reasons: ['shard 3: identifying'] });
  });

  it("leave discord.js's own messages alone, and a reply for another question is not the answer", async () => {
    const { shardSide, managerSide, toShard, toManager, sentToManager } = channelPair();
    answerShardingManager(shardSide, answers, () => {});
    toShard.emit('message', { _eval: 'client.ws.ping' });
    toShard.emit('message', { _fetchProp: 'guilds.cache.size' });
    expect(sentToManager).toEqual([]);

    const stray = { streamcordHealth: 'readyz', id: 'another', readiness: { ready: true, reasons: [] } };
    managerSide.send = (message) => {
      toManager.emit('message', stray);
      return Promise.resolve(toShard.emit('message', message));
    };
    expect(await askShard(managerSide, 'readyz', 1000)).toEqual({ ready: false, reasons: ['shard 3: identifying'] });
  });

  it('stop answering once told to', async () => {
    const { shardSide, managerSide } = channelPair();
    const stop = answerShardingManager(shardSide, answers, () => {});
    stop();
    vi.useFakeTimers();
    const asked = askShard(managerSide, 'metrics', 500);
    const refused = expect(asked).rejects.toThrow('shard 3 did not answer within 500 ms');
    await vi.advanceTimersByTimeAsync(500);
    await refused;
  });
});
