import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER, notices } from '../../src/core/user-text.js';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord } from '../fakes/fake-discord.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';

// The bot as a process, the way `npm start` and Docker run it: the entry point reads the environment,
// and SIGTERM stops it gracefully.

const fakes: { close(): Promise<void> }[] = [];
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

function startBot(env: Record<string, string>): ChildProcessWithoutNullStreams {
  // Only what we pass: no .env from the developer's checkout, no real tokens from the shell.
  child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
  });
  return child;
}

function logLine(process: ChildProcessWithoutNullStreams, message: string): Promise<Record<string, unknown>> {
  const lines = createInterface({ input: process.stdout });
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === message) {
        lines.close();
        resolve(entry);
      }
    });
  });
}

async function exitOf(process: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(process, 'exit')) as [number | null];
  return { code, stderr };
}

describe('the bot process', () => {
  it('exits with status 1 and lists every configuration problem', async () => {
    const bot = startBot({ MAX_TOKENS: 'many' });
    const { code, stderr } = await exitOf(bot);
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN is required');
    expect(stderr).toContain('ANTHROPIC_API_KEY is required');
    expect(stderr).toContain('MAX_TOKENS must be a number');
  });

  it('on SIGTERM ends the running answer with a notice and exits 0', async () => {
    const discord: FakeDiscord = await startFakeDiscord();
    const anthropic: FakeAnthropic = await startFakeAnthropic();
    fakes.push(discord, anthropic);
    anthropic.enqueue({ deltas: ['Half an answer'], fault: { kind: 'stall', afterDeltas: 1 } });
    const bot = startBot({
      DISCORD_TOKEN: 'test-discord-token',
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      DISCORD_API_URL: discord.apiUrl,
      ANTHROPIC_BASE_URL: anthropic.url,
      LOG_LEVEL: 'info',
    });
    const exited = exitOf(bot);
    const connected = await logLine(bot, 'connected to Discord');
    expect(JSON.stringify(connected)).not.toContain('test-discord-token');

    const question = discord.userSays({ content: `<@${discord.botUser.id}> tell me` });
    await discord.waitFor('messageUpdate', (message) => message.content === 'Half an answer');
    bot.kill('SIGTERM');
    const { code } = await exited;

    expect(code).toBe(0);
    const reply = [...discord.messages.values()].find((message) => message.referencedMessageId === question.id);
    expect(reply?.content).toBe(`Half an answer\n\n${notices.interrupted}`);
    expect(reply?.content).not.toBe(PLACEHOLDER);
    expect((await anthropic.waitFor('clientClosed')).completed).toBe(false);
  });
});
