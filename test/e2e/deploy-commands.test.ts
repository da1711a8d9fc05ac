import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';

// `npm run deploy-commands` as a process against the fake Discord's command registration routes.

const run = promisify(execFile);
let discord: FakeDiscord;

beforeEach(async () => {
  discord = await startFakeDiscord();
});
afterEach(async () => {
  await discord.close();
});

async function deploy(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/deploy-commands.ts'], {
      env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const base = () => ({
  DISCORD_TOKEN: 'test-discord-token',
  DISCORD_CLIENT_ID: discord.applicationId,
  DISCORD_API_URL: discord.apiUrl,
});

describe('deploy-commands', () => {
  it('registers the catalogue in one guild when DISCORD_GUILD_ID is set', async () => {
    const result = await deploy({ ...base(), DISCORD_GUILD_ID: discord.guildId });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Registered 5 commands in guild ${discord.guildId}`);
    expect(discord.registeredCommands(discord.guildId).map((command) => command.name)).toEqual([
      'ask',
      'stop',
      'reset',
      'usage',
      'config',
    ]);
    expect(discord.registeredCommands()).toEqual([]);
    const ask = discord.registeredCommands(discord.guildId)[0];
    expect(ask?.options?.[0]).toMatchObject({ name: 'prompt', required: true, max_length: 4000 });
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const result = await deploy(base());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('globally');
    expect(discord.registeredCommands().map((command) => command.name)).toEqual([
      'ask',
      'stop',
      'reset',
      'usage',
      'config',
    ]);
  });

  it('explains what is missing and exits 1', async () => {
    const result = await deploy({ DISCORD_API_URL: discord.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DISCORD_TOKEN is required');
    expect(result.stderr).toContain('DISCORD_CLIENT_ID is required to register commands');
    expect(discord.requests).toEqual([]);
  });

  it('reports a refusal from Discord and exits 1', async () => {
    const result = await deploy({ ...base(), DISCORD_GUILD_ID: '999999999999999999' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Could not register the commands');
  });
});
