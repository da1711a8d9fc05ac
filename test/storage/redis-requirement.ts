// The one program the test run needs besides node_modules: the storage tests run against a real
// Redis. Both the check before `npm test` (scripts/check-test-deps.ts) and vitest's global setup
// (redis-server.ts) explain its absence in these words.

export const REDIS_SERVER = 'redis-server';

export const REDIS_SERVER_MISSING = [
  'npm test needs redis-server, which is not installed (or not on PATH): the storage tests run against a real Redis.',
  'Install it, then run npm test again:',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
].join('\n');
