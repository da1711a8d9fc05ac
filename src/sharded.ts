import 'dotenv/config';
import { ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import type { Shard } from 'discord.js';
import type { Logger } from 'pino';
import { configSecrets, loadConfigOrExit } from './config.js';
import type { MetricsConfig } from './config.js';
import { createLogger } from './logger.js';
import { startHealthServer } from './ops/health-server.js';
import { managerHealthRoutes } from './ops/manager-health.js';

// `npm run start:sharded`: one process per shard, each running the ordinary bot (index.ts), under
// discord.js's ShardingManager. Discord sends each guild's events to one shard only, so every
// process answers its own guilds (and shard 0 the DMs).

// After the bot's own grace period, how long a shard may take to close storage and disconnect
// before it is killed.
const SHUTDOWN_MARGIN_MS = 10_000;

// The shard script sits next to this file: index.js once built, index.ts when tsx runs the source.
function shardEntry(): string {
  const built = fileURLToPath(new URL('./index.js', import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL('./index.ts', import.meta.url));
}

/**
 * The shards' child processes that are alive. Once stopping, every one of them — and any the
 * manager still spawns (its start-up loop or a respawn in flight) — gets SIGTERM.
 */
class ShardProcesses {
  readonly #alive = new Set<ChildProcess>();
  readonly #emptied = new EventEmitter();
  readonly #logger: Logger;
  #stopping = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(child: ChildProcess): void {
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.#alive.add(child);
    // Without a listener, a failed kill() would be an uncaught 'error' that ends the manager.
    child.on('error', (error) => this.#logger.error({ err: error, shardPid: child.pid }, 'shard process error'));
    child.once('exit', () => {
      this.#alive.delete(child);
      if (this.#alive.size === 0) this.#emptied.emit('empty');
    });
    if (this.#stopping) child.kill('SIGTERM');
  }

  /** SIGTERM to every shard: each one ends its answers, disconnects and exits. Resolves once all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const child of this.#alive) child.kill('SIGTERM');
    if (this.#alive.size > 0) await once(this.#emptied, 'empty');
  }

  /** For shards that outlive the deadline; `stop()` then resolves once they are gone. */
  kill(): void {
    for (const child of this.#alive) child.kill('SIGKILL');
  }
}

function watchShard(shard: Shard, processes: ShardProcesses, logger: Logger, stopping: () => boolean): void {
  const log = logger.child({ shard: shard.id });
  log.info('shard created');
  shard.on('spawn', (child) => {
    if (!(child instanceof ChildProcess)) return;
    log.info({ shardPid: child.pid }, 'shard spawned');
    processes.add(child);
  });
  shard.on('ready', () => log.info('shard ready'));
  // A shard that is stopping closes its gateway connection, which discord.js reports as these too.
  shard.on('disconnect', () => {
    if (!stopping()) log.warn('shard disconnected from Discord');
  });
  shard.on('reconnecting', () => {
    if (!stopping()) log.info('shard reconnecting to Discord');
  });
  shard.on('death', (child) => {
    const exit = child instanceof ChildProcess ? { exitCode: child.exitCode, signal: child.signalCode } : {};
    if (stopping()) log.info(exit, 'shard exited');
    else log.warn(exit, 'shard died; respawning');
  });
  // A failed respawn is reported here; an 'error' event without a listener would end the manager.
  shard.on('error', (error) => log.error({ err: error }, 'shard error'));
}

/** Stops every shard, SIGKILLs those still running after the deadline, and says which exit code fits. */
async function stopShards(processes: ShardProcesses, deadlineMs: number, logger: Logger): Promise<boolean> {
  let forced = false;
  const deadline = setTimeout(() => {
    forced = true;
    logger.error({ deadlineMs }, 'shards did not stop in time; killing them');
    processes.kill();
  }, deadlineMs);
  try {
    await processes.stop();
  } finally {
    clearTimeout(deadline);
  }
  return !forced;
}

// One port for every shard: the manager serves /healthz itself and asks the shards for /readyz and
// /metrics (src/ops/manager-health.ts). Listening before any shard spawns: a port in use stops the start.
async function serveHealth(
  config: MetricsConfig,
  manager: ShardingManager,
  logger: Logger,
  stopping: () => boolean,
): Promise<void> {
  const routes = managerHealthRoutes({
    shards: () => manager.shards.values(),
    expected: () => (Array.isArray(manager.shardList) ? manager.shardList.length : undefined),
    stopping,
    logger,
  });
  const server = await startHealthServer({ port: config.port, host: config.host, routes, logger });
  logger.info({ url: server.url }, 'serving /healthz, /readyz and /metrics for every shard');
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  if (config.discord === undefined) {
    console.error('npm run start:sharded runs Discord shards: set DISCORD_TOKEN (Slack runs with npm start).');
    process.exit(1);
  }
  const { discord } = config;
  const logger = createLogger(config.logLevel, {
    secrets: configSecrets(config),
    format: config.logFormat,
  });
  // 'auto' asks discord.com for the recommended count, whatever DISCORD_API_URL says.
  const manager = new ShardingManager(shardEntry(), {
    totalShards: config.shardCount ?? 'auto',
    // Shards spread over several hosts: each host runs its own share of the shard ids.
    ...(config.shardIds ? { shardList: [...config.shardIds] } : {}),
    token: discord.token,
    respawn: true,
    // A tsx run stays a tsx run in the shards; a built run passes nothing.
    execArgv: process.execArgv,
    // silent: false (the default): the shards share our stdout and stderr, so their JSON log lines
    // go wherever ours go.
  });
  const processes = new ShardProcesses(logger);
  let stopping = false;
  manager.on('shardCreate', (shard) => watchShard(shard, processes, logger, () => stopping));
  if (config.metrics) await serveHealth(config.metrics, manager, logger, () => stopping);

  const stop = (reason: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    // Shards that exit now must stay down; the manager would otherwise respawn them at once.
    manager.respawn = false;
    logger.info({ reason }, 'stopping shards');
    stopShards(processes, config.shutdownGraceMs + SHUTDOWN_MARGIN_MS, logger).then(
      (clean) => {
        logger.info('all shards stopped');
        process.exit(clean ? exitCode : 1);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping shards failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('SIGINT', () => stop('SIGINT', 0));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  logger.info({ totalShards: manager.totalShards }, 'spawning shards');
  try {
    // One shard at a time, 5.5 s apart: Discord allows one IDENTIFY per 5 s (max_concurrency 1).
    await manager.spawn();
  } catch (error) {
    // A shard that cannot become ready at start-up is a configuration or network problem:
    // respawning it forever would only burn Discord's daily session starts.
    if (stopping) return;
    logger.error({ err: error }, 'a shard failed to start');
    stop('start-up failed', 1);
    return;
  }
  logger.info({ shards: manager.shards.size }, 'all shards ready');
}

main().catch((error: unknown) => {
  console.error('streamcord failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
