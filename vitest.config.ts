import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests run real sockets on loopback; they wait on events, and this is only a backstop.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
