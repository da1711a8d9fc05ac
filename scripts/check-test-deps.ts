import { spawnSync } from 'node:child_process';
import { REDIS_SERVER, REDIS_SERVER_MISSING } from '../test/storage/redis-requirement.js';

// The first step of `npm test`: the programs the test run needs besides node_modules, checked before
// the type check, the lint and vitest run, so that a missing one is explained first and alone
// (vitest would otherwise lead with "No test files found" when its global setup cannot start Redis).

const probe = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' });
const missing = (probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
if (missing) {
  console.error(REDIS_SERVER_MISSING);
  process.exit(1);
}
if (probe.error !== undefined || probe.status !== 0) {
  console.error(
    `npm test needs ${REDIS_SERVER}, and \`${REDIS_SERVER} --version\` failed: ${String(probe.error ?? probe.status)}`,
  );
  process.exit(1);
}
