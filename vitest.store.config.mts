import { defineConfig } from 'vitest/config';

// Store tier: one contract suite run against SQLite and a real PostgreSQL server. The global
// setup finds or starts the server (scripts/postgres.sh) and hands its URL to the tests.
export default defineConfig({
  test: {
    include: ['test/store/**/*.test.ts'],
    globalSetup: ['test/store/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
