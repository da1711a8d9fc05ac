import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

// `npm run chat` as a process: the build's output run by plain node, its standard streams either
// pipes or a pseudo-terminal (util-linux `script`), with only the environment a test gives it.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles the project as `npm run build` does (tsconfig.build.json), into a directory of this test
 * file's own under dist/: other test files build dist/ at the same time, and a file half rewritten
 * by their compiler must not be what this process loads. Resolves with the chat's entry point.
 */
export async function buildChat(): Promise<{ entry: string; remove: () => Promise<void> }> {
  const outDir = join(ROOT, 'dist', `.e2e-terminal-chat-${process.pid}`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const remove = () => rm(outDir, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT });
  } catch (error) {
    // tsc writes what it can even when it fails.
    await remove();
    throw error;
  }
  return { entry: join(outDir, 'src', 'chat.js'), remove };
}

export interface ChatProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code and everything written to stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  /** Everything on standard output so far, exactly as written (terminal codes included). */
  raw(): string;
  /** Standard output so far as a reader sees it: terminal codes and carriage returns removed. */
  text(): string;
  /** Resolves with text() once it matches; rejects with what was printed if the process exits first. */
  waitForText(predicate: (text: string) => boolean): Promise<string>;
  /** Types into the chat (to the terminal in TTY mode). */
  type(keys: string): void;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** The chat with its standard streams as pipes: what `echo hi | npm run chat` gives it. */
export function spawnPipedChat(entry: string, env: Record<string, string>): ChatProcess {
  return track(spawn(process.execPath, [entry], { env: baseEnv(env) }));
}

/**
 * The chat in a pseudo-terminal: `script` runs it on the terminal side of a new pty and relays our
 * pipes to the other side, so what we write is typed and what the chat writes is what a terminal gets.
 */
export function spawnTerminalChat(entry: string, env: Record<string, string>): ChatProcess {
  const command = [process.execPath, entry].map(shellQuote).join(' ');
  // -q: no banner, -f: flush at once, -e: exit with the chat's status, -c: run this; no typescript file.
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: baseEnv({ TERM: 'xterm-256color', ...env }) });
  return track(child, SCRIPT_MISSING);
}

const SCRIPT_MISSING =
  'The terminal tests run the chat in a pseudo-terminal through `script` from util-linux, which is not on PATH (Debian/Ubuntu: apt-get install bsdutils).';

/** Kills every chat a test left running (afterEach). */
export async function killChats(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exit = once(child, 'exit');
      child.kill('SIGKILL');
      await exit;
    }),
  );
}

// No .env from the checkout (DOTENV_CONFIG_PATH) and no key from the shell: only what the test sets.
function baseEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env };
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function track(child: ChildProcessWithoutNullStreams, missing?: string): ChatProcess {
  running.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const text = () => stripVTControlCharacters(stdout).replaceAll('\r', '');
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of [...waiters]) check();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(
    ([code]) => {
      running.delete(child);
      return { code: code as number | null, stderr };
    },
    (error: unknown) => {
      running.delete(child);
      const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw notFound && missing ? new Error(missing, { cause: error }) : error;
    },
  );
  return {
    child,
    exited,
    raw: () => stdout,
    text,
    waitForText(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(text())) return;
          waiters.delete(check);
          resolve(text());
        };
        waiters.add(check);
        check();
        exited.then(({ code }) => {
          if (!waiters.delete(check)) return;
          reject(new Error(`the chat exited (${code}) first; it printed:\n${text()}\nstderr:\n${stderr}`));
        }, reject);
      });
    },
    type: (keys) => void child.stdin.write(keys),
  };
}
