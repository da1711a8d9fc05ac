import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';
import { REDIS_SERVER, REDIS_SERVER_MISSING } from './redis-requirement.js';

// Vitest global setup: a real redis-server on a free loopback port for the storage tests, stopped
// when the run ends. Tests read its URL with inject('redisUrl').

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const STARTUP_TIMEOUT_MS = 10_000;

export default async function startRedisServer(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'streamcord-redis-'));
  // No persistence: the data lives only as long as the run.
  const server = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    await stopProcess(server);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await readyToAcceptConnections(server);
    await ping(port);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return stop;
}

/** Resolves when redis-server logs that it is ready; rejects if it fails to start. */
function readyToAcceptConnections(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`${reason}\n${output}`));
    };
    const timer = setTimeout(() => fail('redis-server did not get ready in time'), STARTUP_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'ENOENT' ? REDIS_SERVER_MISSING : `redis-server could not start: ${error.message}`);
    });
    server.once('exit', (code, signal) => fail(`redis-server exited during startup (${signal ?? `code ${code}`})`));
  });
}

/** One PING over a raw connection: the server answers, so the URL handed to tests works. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(STARTUP_TIMEOUT_MS, () => socket.destroy(new Error('redis-server did not answer PING')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (!reply.includes('\r\n')) return;
      socket.end();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server answered PING with ${reply.trim()}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
