import { settingsAdminFor, sharedAnswererDeps } from '../../app/services.js';
import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import type { Platform } from '../../app/platform.js';
import type { Services } from '../../app/services.js';
import type { DiscordConfig } from '../../config.js';
import { createAdmission, createRerunCheck } from '../../core/access/admission.js';
import { createAnswerControls } from '../../core/answer/answer-controls.js';
import { createAnswerer } from '../../core/answer/answerer.js';
import { finishRunning } from '../../app/finish-running.js';
import { usageReport } from '../../core/budget/usage-report.js';
import { createCommandRunner } from '../../core/commands/command-runner.js';
import type { Command } from '../../core/commands/command.js';
import type { Question } from '../../core/prompt/question.js';
import { createGlobalPacer } from '../../core/reply/global-pacer.js';
import { timedWriteBudgets } from '../../core/reply/timed-write-budgets.js';
import { createWriteBudgets } from '../../core/reply/write-budgets.js';
import { ATTACHMENT_TIMEOUT_MS, createAttachmentFetcher } from '../shared/attachment-fetcher.js';
import { discordAttachmentOrigins } from './attachment-origins.js';
import { createChannelGate } from './channel-permissions.js';
import { syncCommandsAtStart } from './command-sync.js';
import { discordNames, parseDiscordIds } from './discord-names.js';
import { gatewayProblems } from './gateway-state.js';
import { createInteractionHandler } from './interaction-handler.js';
import { listen } from './listeners.js';
import { createMentionHandler } from './mention-handler.js';
import { deletionsWithThreads } from './message-deletion.js';
import { createMessageRouting } from './message-routing.js';
import { createOncePerKey } from './once-per-key.js';
import { countsGlobally } from './rate-limit-buckets.js';
import { feedWriteBudgets } from './rate-limit-feed.js';
import { tallyRateLimits } from './rate-limit-tally.js';
import { createReplyReopener } from './reopened-messages.js';
import { tellRestResponses } from './rest-telemetry.js';
import { sweepInterrupted } from './restart-sweep.js';
import { discordSourceLink } from './source-links.js';

// Discord as a platform over the shared services: the client's write budgets under the global
// pacer, Discord's answerer, the listeners for mentions, DMs, commands and buttons, the restart
// sweep, and the slash-command sync at start.

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

export interface DiscordPlatformOptions {
  readonly services: Services;
  readonly discord: DiscordConfig;
  readonly client: Client;
  readonly commands: readonly Command[];
  readonly finalEditReserve?: number;
  readonly attachmentTimeoutMs?: number;
}

export function createDiscordPlatform(options: DiscordPlatformOptions): Platform {
  const { services, discord, client, commands } = options;
  const { config, logger, clock, storage, metrics, owner, budget } = services;
  const telemetry = services.telemetryFor('discord');
  const pacer = createGlobalPacer({
    perSecond: discord.globalRequestsPerSecond,
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
    ...sharedAnswererDeps(services, 'discord'),
    budgets,
    sourceLink: discordSourceLink,
    reopen,
    writeTallies: rateLimits.tally,
  });
  metrics?.countAnswers('discord', () => answerer.answers.counts());
  const stopFeeding = feedWriteBudgets(client.rest, budgets);
  const stopTelling = metrics ? tellRestResponses(client.rest, telemetry) : () => {};
  const gate = createChannelGate({ logger, clock });
  const { adminIds } = config.commands;
  const queueRefusal = (question: Question) => answerer.refusal(question);
  const admit = createAdmission({
    settings: storage.settings,
    access: services.access,
    budget,
    queueRefusal,
    adminIds,
    allowedModels: config.answers.allowedModels,
    logger,
    telemetry,
  });
  const settings = settingsAdminFor(services, { parseIds: parseDiscordIds, names: discordNames });
  const refusalNotices = createOncePerKey({
    clock,
    everyMs: REFUSAL_NOTICE_EVERY_MS,
    max: REFUSAL_NOTICES_REMEMBERED,
  });
  // One fetcher for every download: Discord's attachment hosts (and DISCORD_API_URL's) only.
  const fetchAttachment = createAttachmentFetcher({
    trustedOrigins: discordAttachmentOrigins(discord.apiUrl),
    timeoutMs: options.attachmentTimeoutMs ?? ATTACHMENT_TIMEOUT_MS,
    maxBytes: config.attachments.maxBytes,
  });
  const routing = createMessageRouting({
    threads: discord.threads,
    messageContent: discord.messageContentIntent,
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

  return {
    name: 'discord',
    async start() {
      const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
      await client.login(discord.token);
      const readyClient = await ready;
      logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'connected to Discord');
      const waitMs = 2 * config.storage.channelLeaseMs;
      const sweep = { client: readyClient, storage, owner, logger, budgets, waitMs, signal: stopping.signal };
      sweeping = sweepInterrupted(sweep).catch((error: unknown) =>
        logger.error({ err: error }, 'restart sweep failed'),
      );
      const { syncCommands: enabled, guildId } = discord;
      await syncCommandsAtStart({ client: readyClient, commands, enabled, guildId, logger });
    },
    async drain(graceMs) {
      listening.stop();
      stopping.abort();
      await finishRunning(answerer, graceMs);
      await sweeping;
      stopFeeding();
      stopTelling();
      rateLimits.stop();
    },
    async disconnect() {
      await client.destroy();
    },
    problems: () => gatewayProblems(client),
  };
}
