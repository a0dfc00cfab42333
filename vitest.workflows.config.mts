import { defineConfig } from 'vitest/config';

// Workflow tier: real workflow code on Temporal's time-skipping test server, activities faked.
export default defineConfig({
  test: {
    include: ['test/workflows/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
