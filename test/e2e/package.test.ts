import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../storage/free-port.js';
import type { BotProcess } from './bot-process.js';
import { processFixtures, spawnBotCommand } from './bot-process.js';
import { readDockerfile } from './dockerfile.js';
import { packAndInstall } from './package-install.js';
import type { InstalledPackage } from './package-install.js';

// There is no container engine here, so this does what the image does (the Dockerfile says what):
// pack the files its build copies, install the tarball with production dependencies only into an
// empty directory, start it there with the image's CMD and ENV against the loopback fakes, answer a
// mention, pass the image's HEALTHCHECK, and stop on SIGTERM with status 0. It fails when production
// needs a dev dependency, when the package lacks a file, or when the CMD only works in the checkout.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const image = readDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));

const fixtures = processFixtures();
let installed: InstalledPackage | undefined;

// npm pack (with the TypeScript build) and npm install (better-sqlite3 fetches its binary or, with no
// prebuilt reachable, compiles it: about a minute on two cores) take most of this file's time.
beforeAll(async () => {
  installed = await packAndInstall(ROOT, image.contextFiles);
}, 300_000);

afterAll(async () => {
  await installed?.remove();
});

/** Resolves with the log line, or fails with the bot's stderr if it exits first. */
async function logged(bot: BotProcess, message: string): Promise<Record<string, unknown>> {
  const exited = bot.exited.then(({ code, stderr }) => {
    throw new Error(`the bot exited (${code}) before logging '${message}':\n${stderr}`);
  });
  return Promise.race([bot.logLine(message), exited]);
}

/** The status of GET /healthz on the health server (helper A's METRICS_PORT server). */
async function healthz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
  } catch (error) {
    throw new Error(`nothing answers GET /healthz on METRICS_PORT ${port}`, { cause: error });
  }
}

/** Runs a command line as Docker runs a HEALTHCHECK (no shell) and resolves with its exit status. */
async function exitStatus(command: readonly string[], env: Record<string, string>): Promise<number | null> {
  const [program = '', ...args] = command;
  const child = spawn(program === 'node' ? process.execPath : program, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('the npm package, run as the Docker image runs it', () => {
  it('installed with production dependencies only, answers a mention, is healthy, and exits 0 on SIGTERM', async () => {
    const { discord, anthropic } = fixtures;
    if (!installed) throw new Error('the package was not installed');
    const metrics = { METRICS_PORT: String(await freePort()), METRICS_HOST: '127.0.0.1' };
    const bot = spawnBotCommand(image.cmd, { cwd: installed.dir, env: { ...image.env, ...fixtures.botEnv(metrics) } });
    await logged(bot, 'connected to Discord');

    anthropic.enqueue({ text: 'Installed and answering.' });
    const answered = discord.waitFor('messageUpdate', (message) => message.content === 'Installed and answering.');
    const question = discord.userSays({ content: `<@${discord.botUser.id}> are you there?` });
    expect((await answered).referencedMessageId).toBe(question.id);
    // The conversation is in SQLite: better-sqlite3's native binary came with the install.
    expect(existsSync(join(fixtures.dataDir, 'streamcord.sqlite'))).toBe(true);

    expect(await healthz(Number(metrics.METRICS_PORT))).toBe(200);
    expect(await exitStatus(image.healthcheck, { ...image.env, ...metrics })).toBe(0);

    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
  });

  it("the image's HEALTHCHECK passes while /healthz on METRICS_PORT answers 200, and fails otherwise", async () => {
    let status = 200;
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/healthz' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const check = () => exitStatus(image.healthcheck, { ...image.env, METRICS_PORT: String(port) });
    try {
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await check()).toBe(1);
  });
});
