import { defineConfig } from 'vitest/config';

// One migrated database per worker, cloned per test file: `isolate: false` keeps the
// worker's module state (the migrated template) alive between files.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
