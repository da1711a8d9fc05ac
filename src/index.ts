import 'dotenv/config';
import { createBot } from './bot.js';
import { configSecrets, loadConfigOrExit } from './config.js';
import { createLogger } from './logger.js';

// Entry point: configuration, logger, the bot, and a graceful stop on SIGTERM/SIGINT.

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config.logLevel, {
    secrets: configSecrets(config),
    format: config.logFormat,
  });
  const bot = await createBot({ config, logger });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  await bot.start();
}

main().catch((error: unknown) => {
  console.error('streamcord failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
