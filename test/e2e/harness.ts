import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot.js';
import type { Bot } from '../../src/bot.js';
import { configSecrets, loadConfig } from '../../src/config.js';
import type { AnswerReport } from '../../src/core/answer/answerer.js';
import type { Command } from '../../src/core/commands/command.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { createLogger } from '../../src/logger.js';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic, FakeAnthropicOptions } from '../fakes/fake-anthropic.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord, FakeDiscordOptions, StoredMessage } from '../fakes/fake-discord.js';

// The real bot (real discord.js client, real Anthropic SDK) wired to loopback fakes of both services.

/** Discord's per-channel buckets at a fifth of the usual window, so tests stay quick. */
export const FAST_BUCKETS = {
  channelMessages: { limit: 5, windowMs: 1000 },
  interactionWebhook: { limit: 5, windowMs: 1000 },
} as const;

export interface HarnessOptions {
  /** Fake Discord options; the buckets default to FAST_BUCKETS. */
  readonly discord?: FakeDiscordOptions;
  /** Fake Anthropic options, e.g. a default script that answers each question its own way. */
  readonly anthropic?: FakeAnthropicOptions;
  /**
   * Extra environment for the bot's configuration; a function gets the fake Discord before the bot
   * connects, to set up roles or categories and name their ids.
   */
  readonly env?: Record<string, string> | ((discord: FakeDiscord) => Record<string, string>);
  /** Slash commands instead of the catalogue. */
  readonly commands?: readonly Command[];
  /**
   * Captures the bot's log at debug level: every line it writes (JSON, as in production, after the
   * logger's masking) is pushed here. Without it the log follows TEST_LOG_LEVEL (default silent).
   */
  readonly logLines?: string[];
  /** The bot's clock (e.g. one a test moves to the next UTC day); the system's by default. */
  readonly clock?: Clock;
  /** How long a question's file may take to download (the bot's default otherwise). */
  readonly attachmentTimeoutMs?: number;
}

export interface Harness {
  readonly discord: FakeDiscord;
  readonly anthropic: FakeAnthropic;
  /** The running bot; `restartBot()` replaces it. */
  readonly bot: Bot;
  /** Stops the bot and starts a fresh one against the same fakes, as a process restart would. */
  restartBot(): Promise<void>;
  readonly reports: readonly AnswerReport[];
  /** Resolves once `count` answers in all have ended (counting those already ended). */
  answered(count: number): Promise<readonly AnswerReport[]>;
  /** Resolves with the first captured log line (see `logLines`) that satisfies `predicate`. */
  logged(predicate: (line: string) => boolean): Promise<string>;
  /** The bot's messages answering `question`: the reply first, then its follow-ups. */
  replyMessages(question: StoredMessage): StoredMessage[];
  /** A mention of the bot saying `text`. */
  mention(text: string): string;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = await startFakeDiscord({ buckets: FAST_BUCKETS, ...options.discord });
  const anthropic = await startFakeAnthropic(options.anthropic);
  // Each harness keeps its SQLite file in a directory of its own, removed on close.
  const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DISCORD_TOKEN: 'test-discord-token',
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    DISCORD_API_URL: discord.apiUrl,
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_MAX_RETRIES: '0',
    ...(typeof options.env === 'function' ? options.env(discord) : options.env),
  });
  const reports: AnswerReport[] = [];
  const answers = new EventEmitter();
  const { logLines } = options;
  const logged = new EventEmitter<{ line: [string] }>();
  const capture = (line: string) => {
    logLines?.push(line);
    logged.emit('line', line);
  };
  // The same secrets the entry point hands its logger.
  const secrets = configSecrets(config);
  const logger = logLines
    ? createLogger('debug', { secrets, destination: { write: capture } })
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', { secrets });
  const newBot = () =>
    createBot({
      config,
      logger,
      ...(options.commands ? { commands: options.commands } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.attachmentTimeoutMs === undefined ? {} : { attachmentTimeoutMs: options.attachmentTimeoutMs }),
      onAnswered: (report) => {
        reports.push(report);
        answers.emit('answer');
      },
    });
  let bot = await newBot();
  await bot.start();

  return {
    discord,
    anthropic,
    get bot() {
      return bot;
    },
    async restartBot() {
      await bot.stop();
      bot = await newBot();
      await bot.start();
    },
    reports,
    answered: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (reports.length < count) return;
          answers.off('answer', check);
          resolve(reports);
        };
        answers.on('answer', check);
        check();
      }),
    logged: (predicate) =>
      new Promise((resolve) => {
        const earlier = logLines?.find(predicate);
        if (earlier !== undefined) return resolve(earlier);
        const check = (line: string) => {
          if (!predicate(line)) return;
          logged.off('line', check);
          resolve(line);
        };
        logged.on('line', check);
      }),
    replyMessages: (question) => replyChain(discord, question),
    mention: (text) => `<@${discord.botUser.id}> ${text}`,
    async close() {
      await bot.stop();
      await Promise.all([discord.close(), anthropic.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// The reply references the question; follow-ups are the bot's later messages in that channel until
// the next reply to some other question.
function replyChain(discord: FakeDiscord, question: StoredMessage): StoredMessage[] {
  const botId = discord.botUser.id;
  const inChannel = [...discord.messages.values()].filter(
    (message) => message.channelId === question.channelId && message.authorId === botId && !message.deleted,
  );
  const start = inChannel.findIndex((message) => message.referencedMessageId === question.id);
  if (start === -1) return [];
  const chain = [inChannel[start] as StoredMessage];
  for (const message of inChannel.slice(start + 1)) {
    if (message.referencedMessageId !== undefined) break;
    chain.push(message);
  }
  return chain;
}
