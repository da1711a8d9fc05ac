import { Events } from 'discord.js';
import type { Client } from 'discord.js';
import type { Config } from './config.js';
import { createAnswerer } from './core/answerer.js';
import type { AnswerReport } from './core/answerer.js';
import { createChannelQueue } from './core/channel-queue.js';
import { createEditBudgets } from './core/edit-budget.js';
import type { Logger } from './core/logger.js';
import { createAnthropicModel } from './llm/anthropic.js';
import { createDiscordClient } from './platforms/discord/create-client.js';
import { createMentionHandler } from './platforms/discord/mention-handler.js';
import { feedEditBudgets } from './platforms/discord/rate-limit-feed.js';
import { createMemoryStore } from './storage/memory-store.js';

// Builds the bot from its configuration: the composition the entry point and the end-to-end tests share.

// What Discord is seen to allow for message edits per channel until its headers say otherwise.
const ASSUMED_EDIT_BUDGET = { limit: 5, windowMs: 5000 };
// Edit slots per window kept for final edits, so an answer's end never waits for a window reset.
const FINAL_EDIT_RESERVE = 1;

export interface BotOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly onAnswered?: (report: AnswerReport) => void;
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
  const client = createDiscordClient({ apiUrl: config.discord.apiUrl });
  const budgets = createEditBudgets({ ...ASSUMED_EDIT_BUDGET, reserve: FINAL_EDIT_RESERVE });
  const answerer = createAnswerer({
    model: createAnthropicModel(config.anthropic),
    store: createMemoryStore({ keep: Math.max(1, config.answers.history.maxTurns) }),
    queue: createChannelQueue(),
    budgets,
    logger,
    history: config.answers.history,
    system: config.answers.systemPrompt,
    maxTokens: config.answers.maxTokens,
    idleTimeoutMs: config.answers.idleTimeoutMs,
    ...(options.onAnswered ? { onAnswered: options.onAnswered } : {}),
  });
  const stopFeeding = feedEditBudgets(client.rest, budgets);
  const onMessage = createMentionHandler(answerer);
  let accepting = true;

  client.on(Events.MessageCreate, (message) => {
    if (!accepting) return;
    onMessage(message).catch((error: unknown) => logger.error({ err: error }, 'message handler failed'));
  });
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
      answerer.abortAll('shutdown');
      await answerer.drain();
      stopFeeding();
      await client.destroy();
    },
  };
}
