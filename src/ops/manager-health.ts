import { AggregatorRegistry, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../core/ports/logger.js';
import type { HealthRoutes } from './health-server.js';
import { askShard } from './shard-health.js';
import type { ShardChannel, ShardMetrics } from './shard-health.js';

// /readyz and /metrics of the sharding manager, made of its shards' answers (shard-health.ts):
// ready when every shard it should run is running and says it is ready; the metrics of every shard
// that answers (each series labelled with its shard) plus the manager's own process metrics.

export interface ManagerHealthDeps {
  /** The shards created so far (the manager's `shards`). */
  readonly shards: () => Iterable<ShardChannel>;
  /** How many shards it runs once all are spawned; undefined while it does not know yet ('auto'). */
  readonly expected: () => number | undefined;
  readonly stopping: () => boolean;
  readonly logger: Logger;
  /** How long a shard may take to answer; above a shard's own storage check (2 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;

export function managerHealthRoutes(deps: ManagerHealthDeps): HealthRoutes {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const own = new Registry();
  collectDefaultMetrics({ register: own });

  async function shardReasons(shard: ShardChannel): Promise<readonly string[]> {
    if (shard.process === null) return [`shard ${shard.id}: not running`];
    // Starting or reconnecting: known without asking a process that may not answer yet.
    if (!shard.ready) return [`shard ${shard.id}: not connected`];
    try {
      return (await askShard(shard, 'readyz', timeoutMs)).reasons;
    } catch (error) {
      deps.logger.warn({ err: error, shard: shard.id }, 'shard did not answer the readiness check');
      return [`shard ${shard.id}: not answering`];
    }
  }

  async function shardMetrics(shard: ShardChannel): Promise<ShardMetrics> {
    if (shard.process === null) return [];
    try {
      return await askShard(shard, 'metrics', timeoutMs);
    } catch (error) {
      deps.logger.warn({ err: error, shard: shard.id }, 'shard did not send its metrics');
      return [];
    }
  }

  return {
    async readiness() {
      const shards = [...deps.shards()];
      const expected = deps.expected();
      const missing =
        expected === undefined || shards.length < expected
          ? [`shards: ${shards.length} of ${expected ?? '?'} started`]
          : [];
      const perShard = await Promise.all(shards.map(shardReasons));
      const reasons = [...(deps.stopping() ? ['stopping'] : []), ...missing, ...perShard.flat()];
      return { ready: reasons.length === 0, reasons };
    },
    async metrics() {
      const shards = await Promise.all([...deps.shards()].map(shardMetrics));
      const aggregated = AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...shards]);
      return { contentType: aggregated.contentType, body: await aggregated.metrics() };
    },
  };
}
