import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/core/ports/logger.js';
import { managerHealthRoutes } from '../../../src/ops/manager-health.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import type { Readiness } from '../../../src/ops/readiness.js';
import { answerShardingManager } from '../../../src/ops/shard-health.js';
import type { ShardChannel } from '../../../src/ops/shard-health.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

// The sharding manager's /readyz and /metrics, made of its shards' answers over an IPC channel (here
// two emitters standing in for the channel discord.js sets up between the manager and a shard process).

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

afterEach(() => {
  vi.useRealTimers();
});

interface FakeShard extends ShardChannel {
  process: unknown;
  ready: boolean;
}

/** A shard process answering with `readiness` and its own metrics; `answering: false` never answers. */
function shard(id: number, readiness: Readiness, answering = true) {
  const toShard = new EventEmitter();
  const toManager = new EventEmitter();
  const metrics = createMetrics({ defaultLabels: { shard: String(id) } });
  if (answering) {
    answerShardingManager(
      {
        on: (event, listener) => toShard.on(event, listener),
        off: (event, listener) => toShard.off(event, listener),
        send: (message) => toManager.emit('message', structuredClone(message)),
      },
      { readiness: () => Promise.resolve(readiness), metrics: () => metrics.registry.getMetricsAsJSON() },
      () => {},
    );
  }
  const channel: FakeShard = {
    id,
    process: {},
    ready: true,
    send: (message) => Promise.resolve(toShard.emit('message', structuredClone(message))),
    on: (event, listener) => toManager.on(event, listener),
    off: (event, listener) => toManager.off(event, listener),
  };
  return { channel, metrics };
}

const READY: Readiness = { ready: true, reasons: [] };

function routes(shards: FakeShard[], options: { expected?: number | undefined; stopping?: boolean } = {}) {
  const expected = 'expected' in options ? options.expected : shards.length;
  return managerHealthRoutes({
    shards: () => shards,
    expected: () => expected,
    stopping: () => options.stopping ?? false,
    logger: silent,
  });
}

describe("the sharding manager's health routes", () => {
  it('are ready when every shard it runs is running and says it is ready', async () => {
    const shards = [shard(0, READY).channel, shard(1, READY).channel];
    expect(await routes(shards).readiness()).toEqual({ ready: true, reasons: [] });
  });

  it("list each shard's reasons, shards not running, not yet spawned, and stopping", async () => {
    const connecting = shard(0, { ready: false, reasons: ['shard 0: connecting'] }).channel;
    const dead = shard(1, READY).channel;
    dead.process = null;
    const starting = shard(2, READY, false).channel;
    starting.ready = false;
    expect(await routes([connecting, dead, starting], { expected: 4, stopping: true }).readiness()).toEqual({
      ready: false,
      reasons: [
        'stopping',
        'shards: 3 of 4 started',
        'shard 0: connecting',
        'shard 1: not running',
        'shard 2: not connected',
      ],
    });
    expect((await routes([], { expected: undefined }).readiness()).reasons).toEqual(['shards: 0 of ? started']);
  });

  it('say a shard that does not answer in time is not answering', async () => {
    vi.useFakeTimers();
    const silentShard = shard(2, READY, false).channel;
    const answer = managerHealthRoutes({
      shards: () => [silentShard],
      expected: () => 1,
      stopping: () => false,
      logger: silent,
      timeoutMs: 1000,
    }).readiness();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await answer).toEqual({ ready: false, reasons: ['shard 2: not answering'] });
  });

  it("serve every shard's series, labelled with its shard, and the manager's own process metrics", async () => {
    const first = shard(0, READY);
    const second = shard(1, READY);
    first.metrics.telemetryFor('discord').refused('empty');
    second.metrics.telemetryFor('discord').refused('empty');
    second.metrics.telemetryFor('discord').refused('empty');

    const { contentType, body } = await routes([first.channel, second.channel]).metrics();
    const samples = parsePrometheusText(body);
    expect(contentType).toMatch(/^text\/plain/);
    expect(sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'empty', shard: '0' })).toBe(1);
    expect(sampleValue(samples, 'streamcord_admission_refusals_total', { reason: 'empty', shard: '1' })).toBe(2);
    const cpu = samples.filter((sample) => sample.name === 'process_cpu_user_seconds_total');
    expect(cpu.map((sample) => sample.labels['shard'] ?? 'manager').sort()).toEqual(['0', '1', 'manager']);
  });
});
