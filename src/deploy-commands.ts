import 'dotenv/config';
import { commands } from '../commands/index.js';
import { ConfigError, loadDeployConfig } from './config.js';
import { deployCommands } from './platforms/discord/deploy-commands.js';

// `npm run deploy-commands`: registers the slash commands in DISCORD_GUILD_ID, or globally.

async function main(): Promise<void> {
  const config = loadDeployConfig(process.env);
  const { scope, names } = await deployCommands(config, commands);
  const where =
    scope === 'guild'
      ? `in guild ${config.guildId ?? ''} (available now)`
      : 'globally (Discord can take up to an hour to show them everywhere)';
  console.log(`Registered ${names.length} commands ${where}: ${names.map((name) => `/${name}`).join(', ')}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`${error.message}\nSee .env.example for every setting.`);
  else console.error('Could not register the commands:', error instanceof Error ? error.message : error);
  process.exit(1);
});
