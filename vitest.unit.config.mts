import { defineConfig } from 'vitest/config';

// Unit tier: plain functions and in-process servers, no Temporal server.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
