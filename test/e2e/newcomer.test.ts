import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from './bot-process.js';
import { processFixtures, spawnBuiltBot } from './bot-process.js';

// The README's "Run it" path, the way a newcomer takes it: `cp .env.example .env`, fill in
// DISCORD_TOKEN and ANTHROPIC_API_KEY and nothing else, `npm ci && npm start` — that is, the build
// script's output run by plain node, with dotenv reading the .env of the working directory. Only
// the addresses of the loopback fakes come from the environment (a newcomer has the real ones).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT_ENTRY = join(ROOT, 'dist', 'src', 'index.js');
const DISCORD_TOKEN = 'newcomer-discord-token';
const ANTHROPIC_API_KEY = 'newcomer-anthropic-key';

const fixtures = processFixtures();
const workDirs: string[] = [];

// `npm start` builds first (prestart → npm run build: tsc -p tsconfig.build.json into dist/).
beforeAll(async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT });
}, 120_000);

afterEach(async () => {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** .env.example with `values` written into their empty `NAME=` lines, every other line as shipped. */
function fillIn(example: string, values: Readonly<Record<string, string>>): string {
  let filled = example;
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=$`, 'm');
    expect(filled, `.env.example has an empty ${name}= line`).toMatch(line);
    filled = filled.replace(line, `${name}=${value}`);
  }
  return filled;
}

/** Resolves with the log line, or fails with the bot's stderr if it exits first. */
async function logged(bot: BotProcess, message: string): Promise<Record<string, unknown>> {
  const exited = bot.exited.then(({ code, stderr }) => {
    throw new Error(`the bot exited (${code}) before logging '${message}':\n${stderr}`);
  });
  return Promise.race([bot.logLine(message), exited]);
}

describe('a newcomer following the README', () => {
  it('starts from .env.example with only the two required values, reaches the gateway and answers', async () => {
    const { discord, anthropic } = fixtures;
    const dir = await mkdtemp(join(tmpdir(), 'streamcord-newcomer-'));
    workDirs.push(dir);
    const example = await readFile(join(ROOT, '.env.example'), 'utf8');
    await writeFile(join(dir, '.env'), fillIn(example, { DISCORD_TOKEN, ANTHROPIC_API_KEY }));

    const identified = discord.waitFor('identify');
    const bot = spawnBuiltBot(BUILT_ENTRY, {
      cwd: dir,
      env: { DISCORD_API_URL: discord.apiUrl, ANTHROPIC_BASE_URL: anthropic.url },
    });
    const registered = bot.logLine('slash commands registered');
    const [, identify] = await Promise.all([logged(bot, 'connected to Discord'), identified]);
    expect(identify.token).toBe(DISCORD_TOKEN);

    anthropic.enqueue({ text: 'Welcome aboard.' });
    const answered = discord.waitFor('messageUpdate', (message) => message.content === 'Welcome aboard.');
    const question = discord.userSays({ content: `<@${discord.botUser.id}> hello?` });
    expect((await answered).referencedMessageId).toBe(question.id);
    expect(JSON.stringify(anthropic.requests[0]?.headers)).toContain(ANTHROPIC_API_KEY);
    // DATA_DIR left empty: the default ./data, in the directory the bot was started from.
    expect(existsSync(join(dir, 'data', 'streamcord.sqlite'))).toBe(true);

    // `/ask` works too: the bot registered it by itself, no deploy-commands and no DISCORD_CLIENT_ID.
    await registered;
    expect(discord.registeredCommands().map((command) => command.name)).toEqual([
      'ask',
      'stop',
      'reset',
      'usage',
      'config',
    ]);
    anthropic.enqueue({ text: 'Asked and answered.' });
    const asked = discord.waitFor('messageUpdate', (message) => message.content === 'Asked and answered.');
    const prompt = { name: 'prompt', type: ApplicationCommandOptionType.String, value: 'and now?' };
    const interaction = discord.runCommand({ name: 'ask', options: [prompt] });
    expect((await asked).interactionId).toBe(interaction.id);
  });
});
