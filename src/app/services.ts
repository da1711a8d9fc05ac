import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import { createAccessPolicy } from '../core/access/access-policy.js';
import type { AccessPolicy } from '../core/access/access-policy.js';
import type { AnswererDeps, AnswerReport } from '../core/answer/answerer.js';
import { createBudgetCheck } from '../core/budget/budget-check.js';
import type { BudgetCheck } from '../core/budget/budget-check.js';
import type { Clock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import type { ChatModel } from '../core/ports/model.js';
import type { Storage } from '../core/ports/storage.js';
import { noTelemetry } from '../core/ports/telemetry.js';
import type { Telemetry } from '../core/ports/telemetry.js';
import { createTokenEstimator } from '../core/prompt/token-estimator.js';
import { createSettingsAdmin } from '../core/settings/settings-admin.js';
import type { SettingsAdmin, SettingsAdminDeps } from '../core/settings/settings-admin.js';
import { createAnthropicModel } from '../llm/anthropic.js';
import { createMetrics } from '../ops/metrics.js';
import type { Metrics, MetricsPlatform } from '../ops/metrics.js';
import { createStorage } from '../storage/create-storage.js';

// What every platform shares in one process: what lasts (storage), the model, metrics and the
// platform-neutral parts of admission (access lists, budgets). Each platform adapter builds its own
// answerer, write budgets and listeners over these.

export interface ServicesOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Labels every metric series with the gateway shards this process runs (under the sharding manager). */
  readonly shardIds: string | undefined;
  readonly onAnswered?: (report: AnswerReport) => void;
}

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly storage: Storage;
  readonly model: ChatModel;
  /** This process among others sharing the storage: it owns the replies it streams. */
  readonly owner: string;
  readonly metrics: Metrics | undefined;
  /** What one platform tells the metrics (its series carry its name); nowhere without metrics. */
  readonly telemetryFor: (platform: MetricsPlatform) => Telemetry;
  readonly budget: BudgetCheck;
  readonly access: AccessPolicy;
  /** Every answer's report, whichever platform it was on (the caller's hook; metrics count it apart). */
  readonly answered: (report: AnswerReport) => void;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const { config, logger, clock, shardIds } = options;
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
  const metrics = config.metrics && createMetrics(shardIds === undefined ? {} : { defaultLabels: { shard: shardIds } });
  return {
    config,
    logger,
    clock,
    storage,
    model: createAnthropicModel(config.anthropic),
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    metrics,
    telemetryFor: (platform) => metrics?.telemetryFor(platform) ?? noTelemetry,
    budget: createBudgetCheck({ usage: storage.usage, requests: storage.requests, limits: config.budgets, clock }),
    access: createAccessPolicy({ ...config.access, adminIds: config.commands.adminIds }),
    answered: (report) => options.onAnswered?.(report),
  };
}

/** What every platform's answerer shares: the model, storage, the operator's answer settings, metrics. */
export function sharedAnswererDeps(services: Services, platform: MetricsPlatform) {
  const { config } = services;
  const telemetry = services.telemetryFor(platform);
  return {
    model: services.model,
    storage: services.storage,
    owner: services.owner,
    logger: services.logger,
    clock: services.clock,
    history: config.answers.history,
    estimator: createTokenEstimator(),
    system: config.answers.systemPrompt,
    maxTokens: config.answers.maxTokens,
    idleTimeoutMs: config.answers.idleTimeoutMs,
    usageFooter: config.answers.usageFooter,
    forgetAnswersAfterMs: config.answers.buttonsTtlMs,
    queueCaps: config.answers.queueCaps,
    attachmentLimits: config.attachments,
    telemetry,
    onAnswered: (report: AnswerReport) => {
      telemetry.answerEnded(report);
      services.answered(report);
    },
  } satisfies Partial<AnswererDeps>;
}

/** The settings admin over the shared store and the operator's defaults, with the platform's ids and names. */
export function settingsAdminFor(
  services: Services,
  platform: Pick<SettingsAdminDeps, 'parseIds' | 'names'>,
): SettingsAdmin {
  const { config, storage } = services;
  return createSettingsAdmin({
    store: storage.settings,
    allowedModels: config.answers.allowedModels,
    defaults: {
      system: config.answers.systemPrompt,
      model: config.anthropic.model,
      maxTokens: config.answers.maxTokens,
    },
    operatorAccess: config.access,
    ...platform,
  });
}
