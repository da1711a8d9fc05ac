import 'dotenv/config';
import { pino } from 'pino';
import { ConfigError, loadChatConfig } from './config.js';
import { systemClock } from './core/ports/clock.js';
import { createTokenEstimator } from './core/prompt/token-estimator.js';
import { terminalText } from './core/user-text.js';
import { createAnthropicModel } from './llm/anthropic.js';
import { createLogger } from './logger.js';
import { createChatSession } from './platforms/terminal/chat-session.js';
import { runTerminalChat, terminalModes } from './platforms/terminal/terminal-chat.js';
import { createTerminalRenderer } from './platforms/terminal/terminal-renderer.js';
import { terminalStyle } from './platforms/terminal/terminal-style.js';
import { createMemoryStore } from './storage/memory-store.js';

// `npm run chat`: Claude in the terminal, on the bot's core and configuration, with no Discord at all.
// The conversation lives in memory for as long as the chat runs.

async function main(): Promise<void> {
  const config = loadChatConfig(process.env);
  // Standard output is the conversation; log lines go to standard error.
  const logger = createLogger(config.logLevel, {
    secrets: [config.anthropic.apiKey],
    destination: pino.destination(2),
  });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  // A reader that went away (`npm run -s chat < questions | head -3`) ends the chat, as it ends `cat`.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') logger.error({ err: error }, 'cannot write to standard output');
    process.exit(error.code === 'EPIPE' ? 0 : 1);
  });
  const streams = { input: process.stdin, output: process.stdout };
  const { interactive, colors } = terminalModes(streams);
  const style = terminalStyle(colors);
  const { answers } = config;
  const session = createChatSession({
    model: createAnthropicModel(config.anthropic),
    conversations: createMemoryStore({ keep: Math.max(1, answers.history.maxTurns) }),
    logger,
    clock: systemClock,
    history: answers.history,
    estimator: createTokenEstimator(),
    system: answers.systemPrompt,
    maxTokens: answers.maxTokens,
    idleTimeoutMs: answers.idleTimeoutMs,
    renderer: createTerminalRenderer(process.stdout, style),
  });
  await runTerminalChat({
    ...streams,
    session,
    style,
    interactive,
    prompt: terminalText.prompt,
    greeting: terminalText.welcome(config.anthropic.model),
    signals: process,
  });
}

// Exits once the chat is over rather than when the event loop empties (the SDK's pooled connections
// need not hold the process), after whatever is still queued for standard output has been written.
main().then(
  () => process.stdout.write('', () => process.exit(0)),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`${error.message}\nSee .env.example for every setting.`);
    else console.error('The chat failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
