import type { MetricsConfig } from '../config.js';
import type { Logger } from '../core/ports/logger.js';
import { startHealthServer } from './health-server.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { answerShardingManager } from './shard-health.js';
import type { ManagerChannel } from './shard-health.js';

// The bot's side of operations: its own server for /healthz, /readyz and /metrics, or under the
// sharding manager, answers to the manager, which serves them for every shard (manager-health.ts).

export interface BotOperations {
  /** Where the server listens (e.g. http://127.0.0.1:9464); undefined under the sharding manager. */
  readonly url: string | undefined;
  stop(): Promise<void>;
}

export interface BotOperationsDeps {
  readonly config: MetricsConfig;
  readonly metrics: Metrics;
  readonly readiness: () => Promise<Readiness>;
  readonly logger: Logger;
  /** The IPC channel to the sharding manager (the shard's `process`). */
  readonly manager: ManagerChannel;
}

/** Rejects with a clear message when the server cannot listen (its port taken, say). */
export async function startBotOperations(deps: BotOperationsDeps): Promise<BotOperations> {
  const { config, metrics, readiness, logger } = deps;
  if (config.listener === 'sharding-manager') {
    const stopAnswering = answerShardingManager(
      deps.manager,
      { readiness, metrics: () => metrics.registry.getMetricsAsJSON() },
      (error) => logger.warn({ err: error }, 'could not answer the sharding manager'),
    );
    return { url: undefined, stop: () => Promise.resolve(stopAnswering()) };
  }
  const server = await startHealthServer({
    port: config.port,
    host: config.host,
    logger,
    routes: {
      readiness,
      metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    },
  });
  logger.info({ url: server.url }, 'serving /healthz, /readyz and /metrics');
  return { url: server.url, stop: () => server.close() };
}
