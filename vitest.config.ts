import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real redis-server for the Redis storage tests, on a free loopback port, for the whole run.
    globalSetup: ['test/storage/redis-server.ts'],
    // End-to-end tests run real sockets on loopback; they wait on events, and this is only a backstop.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
