import { defineConfig } from 'vitest/config';

// Cluster tier: a real Temporal server (not the dev server) on PostgreSQL, built from the Go
// module by scripts/cluster/install.sh and run by scripts/cluster/server.sh, with worker
// processes and the store on PostgreSQL too. One file, one long test: it restarts the server.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 900_000,
    // A fresh machine builds the server first (about 7.5 minutes on 2 cores).
    hookTimeout: 1_500_000,
  },
});
