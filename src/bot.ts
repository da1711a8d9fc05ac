import type { Client } from 'discord.js';
import { commands as catalogue } from '../commands/index.js';
import { createServices } from './app/services.js';
import type { Platform } from './app/platform.js';
import type { Config, DiscordConfig } from './config.js';
import type { AnswerReport } from './core/answer/answerer.js';
import type { Command } from './core/commands/command.js';
import { systemClock } from './core/ports/clock.js';
import type { Clock } from './core/ports/clock.js';
import type { Logger } from './core/ports/logger.js';
import type { Storage } from './core/ports/storage.js';
import { startBotOperations } from './ops/bot-operations.js';
import type { BotOperations } from './ops/bot-operations.js';
import { createReadinessCheck } from './ops/readiness.js';
import { createDiscordClient } from './platforms/discord/create-client.js';
import { createDiscordPlatform } from './platforms/discord/discord-platform.js';
import { slashCommandsJSON } from './platforms/discord/slash-commands.js';
import { createSlackPlatform } from './platforms/slack/slack-platform.js';

// Builds the bot from its configuration: the composition the entry point and the end-to-end tests
// share. The shared services (storage, model, metrics, access and budgets) are built once; each
// configured platform is an adapter over them; one start and one stop cover them all.

export interface BotOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly onAnswered?: (report: AnswerReport) => void;
  /** The slash commands; the catalogue in commands/ unless a test passes its own. */
  readonly commands?: readonly Command[];
  /** Edit slots per window kept for final edits; the bench sets 0 to price the reserve. */
  readonly finalEditReserve?: number;
  /** The system clock unless a test moves the day on. */
  readonly clock?: Clock;
  /** How long a question's file may take to download; a test of a stalled download shortens it. */
  readonly attachmentTimeoutMs?: number;
}

export interface Bot {
  /** Discord's client; undefined when Discord is not configured (no DISCORD_TOKEN). */
  readonly client: Client | undefined;
  /** What lasts: conversations, usage counters, replies on record. */
  readonly storage: Storage;
  /** Logs in; resolves once the gateway session is ready and the slash commands are synced (or failed to). */
  start(): Promise<void>;
  /** Stops taking questions, lets running answers finish within the grace period, and disconnects. */
  stop(): Promise<void>;
  /** Where /healthz, /readyz and /metrics answer once started (METRICS_PORT); undefined when off. */
  readonly metricsUrl: string | undefined;
}

export async function createBot(options: BotOptions): Promise<Bot> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const commands = options.commands ?? catalogue;
  // Fails here, at start-up, if a command definition is broken.
  slashCommandsJSON(commands);
  const client = config.discord && discordClientOf(config.discord);
  // Under the sharding manager each shard's series carry its id, as the manager serves them all.
  const shardIds = client?.shard?.ids.join(',');
  const services = await createServices({
    config,
    logger,
    clock,
    shardIds,
    ...(options.onAnswered === undefined ? {} : { onAnswered: options.onAnswered }),
  });
  const { storage, metrics } = services;
  const platforms: Platform[] = [];
  if (config.discord && client) {
    platforms.push(
      createDiscordPlatform({
        services,
        discord: config.discord,
        client,
        commands,
        ...(options.finalEditReserve === undefined ? {} : { finalEditReserve: options.finalEditReserve }),
        ...(options.attachmentTimeoutMs === undefined ? {} : { attachmentTimeoutMs: options.attachmentTimeoutMs }),
      }),
    );
  }
  if (config.slack) platforms.push(createSlackPlatform({ services, slack: config.slack, commands }));
  const stopping = new AbortController();
  const readiness = createReadinessCheck({
    gateway: () => platforms.flatMap((platform) => platform.problems()),
    ping: () => storage.ping(),
    stopping: () => stopping.signal.aborted,
    logger,
    ...(shardIds === undefined ? {} : { prefix: `shard ${shardIds}: ` }),
  });
  let operations: BotOperations | undefined;

  return {
    client,
    storage,
    get metricsUrl() {
      return operations?.url;
    },
    async start() {
      // First, so that /healthz answers while the platforms connect, and a port in use stops the start.
      if (config.metrics && metrics) {
        operations = await startBotOperations({ config: config.metrics, metrics, readiness, logger, manager: process });
      }
      await Promise.all(platforms.map((platform) => platform.start()));
    },
    async stop() {
      stopping.abort();
      await Promise.all(platforms.map((platform) => platform.drain(config.shutdownGraceMs)));
      await storage.close();
      await Promise.all(platforms.map((platform) => platform.disconnect()));
      await operations?.stop();
    },
  };
}

function discordClientOf(discord: DiscordConfig): Client {
  const { apiUrl, globalRequestsPerSecond, messageContentIntent: messageContent } = discord;
  return createDiscordClient({ apiUrl, globalRequestsPerSecond, messageContent });
}
