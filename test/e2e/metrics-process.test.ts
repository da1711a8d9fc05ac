import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { processFixtures, spawnBot } from './bot-process.js';

// The health and metrics server of the bot as a process (`npm start`): up as soon as the process is,
// and a port that cannot be had stops the start with a clear message.

const fixtures = processFixtures();
let squatter: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (squatter ? squatter.close(resolve) : resolve(undefined)));
  squatter = undefined;
});

describe('the health and metrics server of the bot process', () => {
  it('serves /healthz from the start and /readyz once connected, and goes with the process on SIGTERM', async () => {
    const bot = spawnBot(fixtures.botEnv({ METRICS_PORT: '0' }));
    const serving = await bot.logLine('serving /healthz, /readyz and /metrics');
    const url = String(serving['url']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await bot.logLine('connected to Discord');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(
      'streamcord_answers_total{outcome="complete",platform="discord"} 0',
    );

    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('exits with status 1 and says why when METRICS_PORT is taken, before connecting to Discord', async () => {
    squatter = createServer();
    await new Promise<void>((resolve) => squatter?.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;

    const { code, stderr } = await spawnBot(fixtures.botEnv({ METRICS_PORT: String(port) })).exited;

    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot serve health and metrics on 127.0.0.1:${port}: the port is already in use`);
    expect(fixtures.discord.sessions()).toEqual([]);
    expect(fixtures.discord.gatewayConnections).toBe(0);
  });
});
