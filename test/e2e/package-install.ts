import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The package as the image gets it, outside the checkout: the files the image's build copies, packed
// by `npm pack` (which builds first: prepack), then the tarball installed with production
// dependencies only into an empty directory. Nothing is written into the checkout.

export interface InstalledPackage {
  /** The installed package's own directory, as /app in the image. */
  readonly dir: string;
  /** Deletes the copy, the tarball and the installation. */
  remove(): Promise<void>;
}

export async function packAndInstall(root: string, contextFiles: readonly string[]): Promise<InstalledPackage> {
  const work = await mkdtemp(join(tmpdir(), 'streamcord-package-'));
  try {
    const tarball = await pack(root, contextFiles, work);
    const app = join(work, 'app');
    await mkdir(app);
    // npm takes its install-script policy from the installing project: allow better-sqlite3's (it
    // fetches or builds its binary) as the checkout does, so npm neither warns nor, one day, skips it.
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'streamcord-install', private: true, allowScripts: { 'better-sqlite3': true } }),
    );
    // With no prebuilt binary reachable, better-sqlite3 compiles: JOBS=max lets node-gyp use every core.
    await npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], app, { JOBS: 'max' });
    const { name } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string };
    return { dir: join(app, 'node_modules', name), remove: () => rm(work, { recursive: true, force: true }) };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

/** Packs a copy of `contextFiles` (with the checkout's node_modules, as `npm ci` leaves them). */
async function pack(root: string, contextFiles: readonly string[], work: string): Promise<string> {
  const source = join(work, 'source');
  const packs = join(work, 'packs');
  await Promise.all([mkdir(source), mkdir(packs)]);
  for (const file of contextFiles) await cp(join(root, file), join(source, file), { recursive: true });
  await symlink(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
  await npm(['pack', '--pack-destination', packs], source);
  const [tarball, ...others] = await readdir(packs);
  if (tarball === undefined || others.length > 0) throw new Error(`npm pack made ${others.length + 1} files`);
  return join(packs, tarball);
}

async function npm(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  try {
    await promisify(execFile)('npm', args, {
      cwd,
      env: { ...withoutNpmScriptVariables(), ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

/**
 * This process's environment without what `npm test` sets for its script (lowercase `npm_*`,
 * INIT_CWD): `npm_config_local_prefix` would point the inner npm at the checkout.
 */
function withoutNpmScriptVariables(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') && name !== 'INIT_CWD'),
  );
}
