import { defineConfig } from 'vitest/config';

// Integration tier: one real Temporal dev server per run (globalSetup), started from the
// binary the setup installed. Forks, not threads: the SDK's native bridge misbehaves in
// worker threads (temporalio/sdk-typescript#876).
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
