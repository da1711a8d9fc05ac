import { sharedAnswererDeps } from '../../app/services.js';
import { App } from '@slack/bolt';
import type { Platform } from '../../app/platform.js';
import type { Services } from '../../app/services.js';
import { finishRunning } from '../../app/finish-running.js';
import type { SlackConfig } from '../../config.js';
import { createAdmission, createRerunCheck } from '../../core/access/admission.js';
import { createAnswerControls } from '../../core/answer/answer-controls.js';
import { createAnswerer } from '../../core/answer/answerer.js';
import type { Command } from '../../core/commands/command.js';
import type { Question } from '../../core/prompt/question.js';
import { timedWriteBudgets } from '../../core/reply/timed-write-budgets.js';
import { boltLogger } from './bolt-logger.js';
import { ATTACHMENT_TIMEOUT_MS } from '../shared/attachment-fetcher.js';
import { createSlackFileFetcher } from './slack-files.js';
import { createSlackQuestionHandler } from './slack-questions.js';
import { listenToSlackCommands } from './slack-command-listener.js';
import { listenForControls } from './slack-controls.js';
import type { SlackMessageEvent, SlackWhere } from './slack-questions.js';
import { createRecentEvents } from './recent-events.js';
import { listeningPort, skipRedeliveries, SLACK_EVENTS_PATH, slackReceiver } from './slack-receiver.js';
import { retryRateLimited, slackClientOptions } from './slack-rate-limits.js';
import { slackRateLimitTallies, tellingFetch } from './slack-request-telemetry.js';
import { createSlackReopener } from './slack-reopener.js';
import { sweepSlackInterrupted } from './slack-sweep.js';
import { createStreamingSupport } from './streaming-support.js';
import { createSlackWriteBudgets } from './slack-write-budgets.js';

// Slack as a platform over the shared services: a Bolt app in Socket Mode (no public URL) or over
// HTTP (slack-receiver.ts), its answerer with a write budget per workspace, and the listeners for
// mentions and DMs.

// Slack refuses markdown_text over 12,000 characters in one call, and a chat.update (the fallback,
// or an end that does not continue the stream) carries the whole message: each message stays under
// it, with room for the word joiners that neutralising mentions adds after the split.
export const SLACK_MESSAGE_LIMIT = 11_000;

// Slack retries an event for about six minutes (at once, after 1 and after 5 minutes).
const REDELIVERIES_REMEMBERED = { keepMs: 10 * 60_000, max: 10_000 };

type Connection = 'idle' | 'connecting' | 'connected' | 'stopped';

export interface SlackPlatformOptions {
  readonly services: Services;
  readonly slack: SlackConfig;
  /** The slash-command catalogue; Slack offers the commands in SLACK_COMMANDS. None when absent. */
  readonly commands?: readonly Command[];
}

export function createSlackPlatform(options: SlackPlatformOptions): Platform {
  const { services, slack } = options;
  const { config, logger, clock, storage, metrics } = services;
  const telemetry = services.telemetryFor('slack');
  const rateLimits = slackRateLimitTallies();
  const app = new App({
    token: slack.botToken,
    ...slackReceiver(slack.events),
    // auth.test runs in start(), where its failure is awaited.
    deferInitialization: true,
    // 429s rejected to the write budgets, quick retries of network failures; each response told.
    clientOptions: slackClientOptions(slack.apiUrl, tellingFetch(telemetry, rateLimits)),
    // Socket Mode's own client (apps.connections.open) keeps its long reconnect retries.
    installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
    logger: boltLogger(logger),
  });
  const paced = createSlackWriteBudgets(clock);
  const budgets = metrics ? timedWriteBudgets(paced, { clock, telemetry }) : paced;
  const streaming = createStreamingSupport();
  const reopen = createSlackReopener({ client: app.client, budgets, streaming, logger });
  const answerer = createAnswerer({
    ...sharedAnswererDeps(services, 'slack'),
    budgets,
    reopen,
    messageLimit: SLACK_MESSAGE_LIMIT,
    writeTallies: rateLimits.tally,
  });
  metrics?.countAnswers('slack', () => answerer.answers.counts());
  const queueRefusal = (question: Question) => answerer.refusal(question);
  const admit = createAdmission({
    settings: storage.settings,
    access: services.access,
    budget: services.budget,
    queueRefusal,
    adminIds: config.commands.adminIds,
    allowedModels: config.answers.allowedModels,
    logger,
    telemetry,
  });
  // Slack's own stop of a native stream stops the answer as the Stop button does.
  const stoppedByUser = (answerId: string, by: string) =>
    void answerer.answers.stop(answerId, { cause: 'stopped', by });
  const reply = { client: app.client, budgets, streaming, logger, stoppedByUser };
  const handle = createSlackQuestionHandler({
    answerer,
    admit,
    budgets,
    clock,
    reply,
    client: app.client,
    // One fetcher for every file: Slack's file host (and SLACK_API_URL's) only, with the bot token.
    fetchFile: createSlackFileFetcher({
      botToken: slack.botToken,
      apiUrl: slack.apiUrl,
      timeoutMs: ATTACHMENT_TIMEOUT_MS,
      maxBytes: config.attachments.maxBytes,
    }),
  });
  let connection: Connection = 'idle';
  let accepting = true;
  // The restart sweep runs beside the answers from start on; drain stops it and waits for it.
  const stopping = new AbortController();
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () =>
    sweepSlackInterrupted({
      client: app.client,
      storage,
      owner: services.owner,
      logger,
      budgets,
      messageLimit: SLACK_MESSAGE_LIMIT,
      waitMs: 2 * config.storage.channelLeaseMs,
      signal: stopping.signal,
    }).catch((error: unknown) => logger.error({ err: error }, 'Slack restart sweep failed'));

  // Listeners return at once (Bolt acks the envelope); the answer runs on, its failure logged.
  const listen = (event: SlackMessageEvent, where: SlackWhere | undefined) => {
    if (!accepting || where === undefined) return;
    handle(event, where).catch((error: unknown) =>
      logger.error({ err: error, channel: event.channel }, 'Slack message handler failed'),
    );
  };
  app.use(skipRedeliveries(createRecentEvents({ clock, ...REDELIVERIES_REMEMBERED }), logger));
  app.event('app_mention', ({ event, context }) => {
    listen(event, whereOf(context, false));
    return Promise.resolve();
  });
  // DMs only; which messages are a person asking (no edits, joins, bots) the handler decides.
  app.event('message', ({ event, context }) => {
    if (event.channel_type !== 'im') return Promise.resolve();
    listen(event, whereOf(context, true));
    return Promise.resolve();
  });
  const commands = options.commands ?? [];
  listenToSlackCommands({ app, services, commands, answerer, admit, reply, accepting: () => accepting });
  const controls = createAnswerControls({
    answers: answerer.answers,
    start: (job) => answerer.start(job),
    refusal: createRerunCheck({ budget: services.budget, queueRefusal, logger, clock, telemetry }),
    reopen,
    clock,
    budgets,
  });
  listenForControls(app, { controls, reply, adminIds: config.commands.adminIds, logger, accepting: () => accepting });
  app.error((error) => {
    logger.error({ err: error }, 'Slack listener failed');
    return Promise.resolve();
  });

  return {
    name: 'slack',
    async start() {
      connection = 'connecting';
      // auth.test: a 429 here is waited out (briefly) rather than failing the start.
      await retryRateLimited(() => app.init());
      const port = listeningPort(await app.start());
      connection = 'connected';
      logger.info(port === undefined ? {} : { port, path: SLACK_EVENTS_PATH }, 'connected to Slack');
      sweeping = sweep();
    },
    async drain(graceMs) {
      accepting = false;
      stopping.abort();
      await finishRunning(answerer, graceMs);
      await sweeping;
    },
    async disconnect() {
      connection = 'stopped';
      await app.stop();
    },
    problems: () => (connection === 'connected' ? [] : [`slack: ${connection}`]),
  };
}

function whereOf(
  context: { readonly teamId?: string | undefined; readonly botUserId?: string | undefined },
  direct: boolean,
): SlackWhere | undefined {
  const { teamId, botUserId } = context;
  return teamId === undefined || botUserId === undefined ? undefined : { teamId, botUserId, direct };
}
