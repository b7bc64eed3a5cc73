import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The default output, then the slowest files: where the suite's time goes, visible in every run.
    reporters: ['default', './test/reporters/file-times.ts'],
    projects: [
      // Property tests run thousands of cases: on a loaded 2-core runner 5 s is too tight a guard.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/docker-leak-check.ts'],
          // Real brokers and fleets: one file at a time keeps the 2-core machine honest.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
