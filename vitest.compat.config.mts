import { defineConfig } from 'vitest/config';

// Compatibility tier: the unchanged pipeline against servers nobody here wrote (llama.cpp's
// own server with a real small model, and aimock with its chaos faults), through the real
// Temporal dev server and a real worker process. Forks, one file at a time: the model
// server's two slots are the bottleneck, and the Temporal bridge wants processes.
export default defineConfig({
  test: {
    include: ['test/compat/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts', 'test/compat/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 180_000,
  },
});
