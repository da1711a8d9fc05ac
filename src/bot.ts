import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import type { Config } from './config.js';
import { createAnswerer } from './core/answerer.js';
import type { AnswerReport } from './core/answerer.js';
import { createKeyedQueue } from './core/keyed-queue.js';
import { createEditBudgets } from './core/edit-budget.js';
import type { Logger } from './core/logger.js';
import { createAnthropicModel } from './llm/anthropic.js';
import { createDiscordClient } from './platforms/discord/create-client.js';
import { createMentionHandler } from './platforms/discord/mention-handler.js';
import { feedEditBudgets } from './platforms/discord/rate-limit-feed.js';
import { createMemoryStore } from './storage/memory-store.js';
import { commands as catalogue } from '../commands/index.js';
import type { Command } from './core/command.js';
import { createCommandRunner } from './core/command-runner.js';
import { createAnswerControls } from './core/answer-controls.js';
import { createInteractionHandler } from './platforms/discord/interaction-handler.js';
import { slashCommandsJSON } from './platforms/discord/slash-commands.js';

// Builds the bot from its configuration: the composition the entry point and the end-to-end tests share.

// What Discord is seen to allow for message edits per channel until its headers say otherwise.
const ASSUMED_EDIT_BUDGET = { limit: 5, windowMs: 5000 };
// Edit slots per window kept for final edits, so an answer's end never waits for a window reset.
const FINAL_EDIT_RESERVE = 1;

export interface BotOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly onAnswered?: (report: AnswerReport) => void;
  /** The slash commands; the catalogue in commands/ unless a test passes its own. */
  readonly commands?: readonly Command[];
}

export interface Bot {
  readonly client: Client;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  /** Stops taking questions, ends running answers with a notice, and disconnects. */
  stop(): Promise<void>;
}

export function createBot(options: BotOptions): Bot {
  const { config, logger } = options;
  const commands = options.commands ?? catalogue;
  // Fails here, at start-up, if a command definition is broken.
  slashCommandsJSON(commands);
  const client = createDiscordClient({ apiUrl: config.discord.apiUrl });
  const budgets = createEditBudgets({ ...ASSUMED_EDIT_BUDGET, reserve: FINAL_EDIT_RESERVE });
  const store = createMemoryStore({ keep: Math.max(1, config.answers.history.maxTurns) });
  const answerer = createAnswerer({
    model: createAnthropicModel(config.anthropic),
    store,
    queue: createKeyedQueue(),
    budgets,
    logger,
    history: config.answers.history,
    system: config.answers.systemPrompt,
    maxTokens: config.answers.maxTokens,
    idleTimeoutMs: config.answers.idleTimeoutMs,
    usageFooter: config.answers.usageFooter,
    ...(options.onAnswered ? { onAnswered: options.onAnswered } : {}),
  });
  const stopFeeding = feedEditBudgets(client.rest, budgets);
  const onMessage = createMentionHandler(answerer);
  const onInteraction = createInteractionHandler({
    runCommand: createCommandRunner({ commands, access: config.commands.access, logger }),
    answerer,
    controls: createAnswerControls(answerer),
    store,
    budgets,
    adminIds: config.commands.adminIds,
    handoffAfterMs: config.commands.handoffAfterMs,
  });
  let accepting = true;

  // Listeners stay synchronous and never throw into discord.js; their promises are handled here.
  client.on(Events.MessageCreate, (message) => {
    if (!accepting) return;
    onMessage(message).catch((error: unknown) => logger.error({ err: error }, 'message handler failed'));
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!accepting) return;
    onInteraction(interaction).catch((error: unknown) => logger.error({ err: error }, 'interaction handler failed'));
  });
  // Deleting a question or a reply mid-stream stops that answer.
  const onDeleted = (messageId: string) => {
    answerer.messageDeleted(messageId).catch((error: unknown) => logger.error({ err: error }, 'delete handler failed'));
  };
  client.on(Events.MessageDelete, (message) => onDeleted(message.id));
  client.on(Events.MessageBulkDelete, (messages) => messages.forEach((message) => onDeleted(message.id)));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discord.token);
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
    },
    async stop() {
      accepting = false;
      answerer.abortAll({ cause: 'shutdown' });
      await answerer.drain();
      stopFeeding();
      await client.destroy();
    },
  };
}
