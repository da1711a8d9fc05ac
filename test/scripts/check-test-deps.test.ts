import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_SERVER_MISSING } from '../storage/redis-requirement.js';

// `npm test` on a machine without redis-server: its first step explains what to install, alone,
// and stops the run with a non-zero exit before the type check, the lint or vitest start.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The first command of the `test` script, as npm runs it: the rest only runs if it succeeds. */
async function firstStepOfNpmTest(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [first = ''] = (pkg.scripts['test'] ?? '').split('&&');
  return first.trim();
}

/** A PATH with node and nothing else: no redis-server on it. */
async function pathWithNodeOnly(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streamcord-path-'));
  dirs.push(dir);
  await symlink(process.execPath, join(dir, 'node'));
  return dir;
}

function run(command: string, path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { cwd: ROOT, env: { PATH: path } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('npm test without redis-server', () => {
  it('first checks what the run needs besides node_modules', async () => {
    expect(await firstStepOfNpmTest()).toBe('node --import tsx scripts/check-test-deps.ts');
  });

  it('says only what to install, and exits non-zero', async () => {
    const { code, stdout, stderr } = await run(await firstStepOfNpmTest(), await pathWithNodeOnly());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(REDIS_SERVER_MISSING);
    expect(stderr).toContain('apt-get install redis-server');
  });

  it('passes silently where redis-server is installed', async () => {
    const { code, stdout, stderr } = await run(await firstStepOfNpmTest(), process.env.PATH ?? '');
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
