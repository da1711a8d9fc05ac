import { ApplicationCommandOptionType, REST, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { slashCommandsJSON } from '../../src/platforms/discord/slash-commands.js';
import type { BotProcess } from './bot-process.js';
import { processFixtures, spawnBot } from './bot-process.js';

// The start-up sync of the slash commands, with the bot as a process against the fake Discord: it
// reads what is registered and writes only when that differs from the catalogue in commands/.

const fixtures = processFixtures();
const CATALOGUE = ['ask', 'stop', 'reset', 'usage', 'config'];
// Two bot processes one after the other, each compiled by tsx at start: more than the usual backstop.
const TWO_STARTS_TIMEOUT_MS = 60_000;

/** Starts the bot and resolves with it and the log line that ends its command sync. */
async function startedBot(outcome: string, extra: Record<string, string> = {}) {
  const bot = spawnBot(fixtures.botEnv(extra));
  const exited = bot.exited.then(({ code, stderr }) => {
    throw new Error(`the bot exited (${code}) before logging '${outcome}':\n${stderr}`);
  });
  const line = await Promise.race([bot.logLine(outcome), exited]);
  return { bot, line };
}

async function stopped(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGTERM');
  expect((await bot.exited).code).toBe(0);
}

async function askAndAnswer(text: string): Promise<void> {
  const { discord, anthropic } = fixtures;
  anthropic.enqueue({ text });
  const answered = discord.waitFor('messageUpdate', (message) => message.content === text);
  const prompt = { name: 'prompt', type: ApplicationCommandOptionType.String, value: 'anything' };
  const interaction = discord.runCommand({ name: 'ask', options: [prompt] });
  expect((await answered).interactionId).toBe(interaction.id);
}

const names = (guildId?: string) => fixtures.discord.registeredCommands(guildId).map((command) => command.name);

describe('slash command sync at start-up', () => {
  it('registers the catalogue globally on a fresh start, once, and /ask works', async () => {
    const { discord } = fixtures;
    const { line } = await startedBot('slash commands registered');
    expect(line).toMatchObject({ scope: 'global', commands: CATALOGUE.map((name) => `/${name}`) });
    expect(names()).toEqual(CATALOGUE);
    expect(discord.commandRequests()).toEqual({ reads: 1, writes: 1 });
    expect(discord.commandRequests(discord.guildId)).toEqual({ reads: 0, writes: 0 });
    await askAndAnswer('Registered by the bot itself.');
  });

  it(
    'makes no registration call after a restart: it reads, finds them in step, and writes nothing',
    async () => {
      const { discord } = fixtures;
      const first = await startedBot('slash commands registered');
      const versions = discord.registeredCommands().map((command) => command.version);
      await stopped(first.bot);

      await startedBot('slash commands already up to date');
      expect(discord.commandRequests()).toEqual({ reads: 2, writes: 1 });
      expect(discord.registeredCommands().map((command) => command.version)).toEqual(versions);
      await askAndAnswer('Still here after a restart.');
    },
    TWO_STARTS_TIMEOUT_MS,
  );

  it(
    'registers in DISCORD_GUILD_ID only, and a restart finds them there',
    async () => {
      const { discord } = fixtures;
      const first = await startedBot('slash commands registered', { DISCORD_GUILD_ID: discord.guildId });
      expect(first.line).toMatchObject({ scope: 'guild', guildId: discord.guildId });
      expect(names(discord.guildId)).toEqual(CATALOGUE);
      expect(discord.commandRequests()).toEqual({ reads: 0, writes: 0 });
      await stopped(first.bot);

      await startedBot('slash commands already up to date', { DISCORD_GUILD_ID: discord.guildId });
      expect(discord.commandRequests(discord.guildId)).toEqual({ reads: 2, writes: 1 });
    },
    TWO_STARTS_TIMEOUT_MS,
  );

  it('leaves registration alone with SYNC_COMMANDS=false', async () => {
    const { discord } = fixtures;
    await startedBot('slash command sync is off (SYNC_COMMANDS=false)', {
      SYNC_COMMANDS: 'false',
      DISCORD_GUILD_ID: discord.guildId,
    });
    expect(discord.commandRequests()).toEqual({ reads: 0, writes: 0 });
    expect(discord.commandRequests(discord.guildId)).toEqual({ reads: 0, writes: 0 });
    expect(discord.requests.filter((request) => request.path.startsWith('/applications/'))).toEqual([]);
  });

  it('re-syncs a catalogue that changed since the last registration', async () => {
    const { discord } = fixtures;
    // What an older version registered: /ask described differently, no /reset.
    const [ask, stop] = slashCommandsJSON(commands);
    const old = [{ ...ask, description: 'An older description' }, stop];
    const rest = new REST({ api: discord.apiUrl }).setToken('test-discord-token');
    await rest.put(Routes.applicationCommands(discord.applicationId), { body: old });
    const askId = discord.registeredCommands()[0]?.id;

    await startedBot('slash commands registered');
    expect(discord.commandRequests()).toEqual({ reads: 1, writes: 2 });
    expect(names()).toEqual(CATALOGUE);
    expect(discord.registeredCommands()[0]).toMatchObject({ id: askId, description: ask?.description });
  });

  it('logs a failed sync and keeps answering mentions', async () => {
    const { discord, anthropic } = fixtures;
    // A guild the bot is not in: Discord answers 404 Unknown Guild.
    const { line } = await startedBot('slash command sync failed', { DISCORD_GUILD_ID: '999999999999999999' });
    expect(line).toMatchObject({ level: 50, scope: 'guild', guildId: '999999999999999999' });
    expect(String(line['hint'])).toContain('SYNC_COMMANDS=false');

    anthropic.enqueue({ text: 'Mentions do not need commands.' });
    const answered = discord.waitFor(
      'messageUpdate',
      (message) => message.content === 'Mentions do not need commands.',
    );
    discord.userSays({ content: `<@${discord.botUser.id}> still there?` });
    await answered;
  });
});
