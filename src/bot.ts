import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import { commands as catalogue } from '../commands/index.js';
import type { Config } from './config.js';
import { createAnswerControls } from './core/answer/answer-controls.js';
import { discordSourceLink } from './platforms/discord/source-links.js';
import { createAnswerer } from './core/answer/answerer.js';
import type { Answerer, AnswerReport } from './core/answer/answerer.js';
import type { Command } from './core/commands/command.js';
import type { Question } from './core/prompt/question.js';
import { systemClock } from './core/ports/clock.js';
import type { Clock } from './core/ports/clock.js';
import { createAdmission, createRerunCheck } from './core/access/admission.js';
import { createBudgetCheck } from './core/budget/budget-check.js';
import { usageReport } from './core/budget/usage-report.js';
import { createSettingsAdmin } from './core/settings/settings-admin.js';
import { discordNames, parseDiscordIds } from './platforms/discord/discord-names.js';
import { createCommandRunner } from './core/commands/command-runner.js';
import { createGlobalPacer } from './core/reply/global-pacer.js';
import { createWriteBudgets } from './core/reply/write-budgets.js';
import type { Logger } from './core/ports/logger.js';
import type { Storage } from './core/ports/storage.js';
import { createTokenEstimator } from './core/prompt/token-estimator.js';
import { createAnthropicModel } from './llm/anthropic.js';
import { createChannelGate } from './platforms/discord/channel-permissions.js';
import { syncCommandsAtStart } from './platforms/discord/command-sync.js';
import { createDiscordClient } from './platforms/discord/create-client.js';
import { createInteractionHandler } from './platforms/discord/interaction-handler.js';
import { listen } from './platforms/discord/listeners.js';
import { deletionsWithThreads } from './platforms/discord/message-deletion.js';
import { createMentionHandler } from './platforms/discord/mention-handler.js';
import { createAttachmentFetcher, discordAttachmentOrigins } from './platforms/discord/attachment-fetcher.js';
import { createMessageRouting } from './platforms/discord/message-routing.js';
import { createOncePerKey } from './platforms/discord/once-per-key.js';
import { createAccessPolicy } from './core/access/access-policy.js';
import { createReplyReopener } from './platforms/discord/reopened-messages.js';
import { countsGlobally } from './platforms/discord/rate-limit-buckets.js';
import { feedWriteBudgets } from './platforms/discord/rate-limit-feed.js';
import { tallyRateLimits } from './platforms/discord/rate-limit-tally.js';
import { sweepInterrupted } from './platforms/discord/restart-sweep.js';
import { slashCommandsJSON } from './platforms/discord/slash-commands.js';
import { createStorage } from './storage/create-storage.js';
import { noTelemetry } from './core/ports/telemetry.js';
import { timedWriteBudgets } from './core/reply/timed-write-budgets.js';
import { gatewayProblems } from './platforms/discord/gateway-state.js';
import { tellRestResponses } from './platforms/discord/rest-telemetry.js';
import { startBotOperations } from './ops/bot-operations.js';
import type { BotOperations } from './ops/bot-operations.js';
import { createMetrics } from './ops/metrics.js';
import { createReadinessCheck } from './ops/readiness.js';

// Builds the bot from its configuration: the composition the entry point and the end-to-end tests share.

// What Discord is seen to allow for message creates and edits together per channel until its
// headers say otherwise.
const ASSUMED_WRITE_BUDGET = { limit: 5, windowMs: 5000 };
// Slots per window kept for final edits, so an answer's end never waits for a window reset.
const FINAL_EDIT_RESERVE = 1;
// A refused person is told why once per channel an hour; repeating the mention costs nothing.
const REFUSAL_NOTICE_EVERY_MS = 60 * 60_000;
// Bounded memory: past this many (channel, person) pairs the oldest may be told again early.
const REFUSAL_NOTICES_REMEMBERED = 10_000;
// The share of Discord's global limit that our paced writes leave for the rest: deletes, discord.js's
// retries after a 5xx, reads, command sync, and requests that discord.js's per-channel queues hold
// for a round trip and then send together with later ones.
const GLOBAL_HEADROOM = 0.2;
// A question's files download together; one still coming after this is left out with a notice.
const ATTACHMENT_TIMEOUT_MS = 20_000;

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
  readonly client: Client;
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
  const storage = await createStorage(
    {
      redisUrl: config.storage.redisUrl,
      redisKeyPrefix: config.storage.redisKeyPrefix,
      dataDir: config.storage.dataDir,
      keep: Math.max(1, config.answers.history.maxTurns),
      conversationTtlSeconds: config.storage.conversationTtlSeconds,
      leaseMs: config.storage.channelLeaseMs,
    },
    { logger },
  );
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { apiUrl, globalRequestsPerSecond, messageContentIntent: messageContent } = config.discord;
  const client = createDiscordClient({ apiUrl, globalRequestsPerSecond, messageContent });
  // Under the sharding manager each shard's series carry its id, as the manager serves them all.
  const shardIds = client.shard?.ids.join(',');
  const metrics = config.metrics && createMetrics(shardIds === undefined ? {} : { defaultLabels: { shard: shardIds } });
  const telemetry = metrics?.telemetry ?? noTelemetry;
  const pacer = createGlobalPacer({
    perSecond: globalRequestsPerSecond,
    headroom: GLOBAL_HEADROOM,
    clock,
  });
  const paced = createWriteBudgets(
    { ...ASSUMED_WRITE_BUDGET, reserve: options.finalEditReserve ?? FINAL_EDIT_RESERVE, clock },
    { pacer, counts: countsGlobally },
  );
  const budgets = metrics ? timedWriteBudgets(paced, { clock, telemetry }) : paced;
  const reopen = createReplyReopener(client.rest, budgets);
  // The 429s each answer's writes receive, for its report and log line.
  const rateLimits = tallyRateLimits(client.rest);
  const answerer = createAnswerer({
    model: createAnthropicModel(config.anthropic),
    storage,
    owner,
    budgets,
    logger,
    clock,
    history: config.answers.history,
    estimator: createTokenEstimator(),
    system: config.answers.systemPrompt,
    maxTokens: config.answers.maxTokens,
    idleTimeoutMs: config.answers.idleTimeoutMs,
    attachmentLimits: config.attachments,
    usageFooter: config.answers.usageFooter,
    sourceLink: discordSourceLink,
    reopen,
    forgetAnswersAfterMs: config.answers.buttonsTtlMs,
    queueCaps: config.answers.queueCaps,
    telemetry,
    writeTallies: rateLimits.tally,
    onAnswered: (report) => {
      telemetry.answerEnded(report);
      options.onAnswered?.(report);
    },
  });
  metrics?.countAnswers(() => answerer.answers.counts());
  const stopFeeding = feedWriteBudgets(client.rest, budgets);
  const stopTelling = metrics ? tellRestResponses(client.rest, telemetry) : () => {};
  const gate = createChannelGate({ logger, clock });
  const { adminIds } = config.commands;
  const budget = createBudgetCheck({ usage: storage.usage, requests: storage.requests, limits: config.budgets, clock });
  const queueRefusal = (question: Question) => answerer.refusal(question);
  const admit = createAdmission({
    settings: storage.settings,
    access: createAccessPolicy({ ...config.access, adminIds }),
    budget,
    queueRefusal,
    adminIds,
    allowedModels: config.answers.allowedModels,
    logger,
    telemetry,
  });
  const settings = createSettingsAdmin({
    store: storage.settings,
    allowedModels: config.answers.allowedModels,
    defaults: {
      system: config.answers.systemPrompt,
      model: config.anthropic.model,
      maxTokens: config.answers.maxTokens,
    },
    operatorAccess: config.access,
    parseIds: parseDiscordIds,
    names: discordNames,
  });
  const refusalNotices = createOncePerKey({
    clock,
    everyMs: REFUSAL_NOTICE_EVERY_MS,
    max: REFUSAL_NOTICES_REMEMBERED,
  });
  // One fetcher for every download: Discord's attachment hosts (and DISCORD_API_URL's) only.
  const fetchAttachment = createAttachmentFetcher({
    trustedOrigins: discordAttachmentOrigins(config.discord.apiUrl),
    timeoutMs: options.attachmentTimeoutMs ?? ATTACHMENT_TIMEOUT_MS,
    maxBytes: config.attachments.maxBytes,
  });
  const routing = createMessageRouting({
    threads: config.discord.threads,
    messageContent: config.discord.messageContentIntent,
    conversations: storage.conversations,
    budgets,
    logger,
    clock,
  });
  const listening = listen(
    client,
    {
      message: createMentionHandler({
        answerer,
        gate,
        budgets,
        admit,
        refusalNotices,
        clock,
        routing,
        fetchAttachment,
      }),
      interaction: createInteractionHandler({
        runCommand: createCommandRunner({ commands, access: config.commands.access, logger }),
        answerer,
        controls: createAnswerControls({
          answers: answerer.answers,
          start: (job) => answerer.start(job),
          refusal: createRerunCheck({ budget, queueRefusal, logger, clock, telemetry }),
          reopen,
          clock,
          budgets,
        }),
        conversations: answerer.conversations,
        budgets,
        adminIds,
        handoffAfterMs: config.commands.handoffAfterMs,
        gate,
        admit,
        settings,
        fetchAttachment,
        usageReport: (viewer) =>
          usageReport({ usage: storage.usage, limits: config.budgets, clock, names: discordNames }, viewer),
        clock,
      }),
      deleted: deletionsWithThreads(client, (channelId, messageId) => answerer.messageDeleted(channelId, messageId)),
    },
    logger,
  );
  let sweeping: Promise<unknown> = Promise.resolve();
  const stopping = new AbortController();
  const readiness = createReadinessCheck({
    gateway: () => gatewayProblems(client),
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
      // First, so that /healthz answers while the gateway connects, and a port in use stops the start.
      if (config.metrics && metrics) {
        operations = await startBotOperations({ config: config.metrics, metrics, readiness, logger, manager: process });
      }
      const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
      await client.login(config.discord.token);
      const readyClient = await ready;
      logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'connected to Discord');
      const waitMs = 2 * config.storage.channelLeaseMs;
      const sweep = { client: readyClient, storage, owner, logger, budgets, waitMs, signal: stopping.signal };
      sweeping = sweepInterrupted(sweep).catch((error: unknown) =>
        logger.error({ err: error }, 'restart sweep failed'),
      );
      const { syncCommands: enabled, guildId } = config.discord;
      await syncCommandsAtStart({ client: readyClient, commands, enabled, guildId, logger });
    },
    async stop() {
      listening.stop();
      stopping.abort();
      await finishRunning(answerer, config.shutdownGraceMs);
      await sweeping;
      stopFeeding();
      stopTelling();
      rateLimits.stop();
      await storage.close();
      await client.destroy();
      await operations?.stop();
    },
  };
}

// Running answers get the grace period to end on their own; whatever still runs then ends with a notice.
async function finishRunning(answerer: Answerer, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([answerer.drain(), grace]);
  clearTimeout(timer);
  answerer.abortAll({ cause: 'shutdown' });
  await answerer.drain();
}
