import os from 'node:os';
import { defineConfig } from 'vitest/config';

function testLanes(): number {
  const asked = Number(process.env.AGENTDRILL_TEST_LANES);
  if (Number.isInteger(asked) && asked >= 1 && asked <= 8) return asked;
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

export default defineConfig({
  test: {
    // The default output, then the slowest files: where the suite's time goes, visible in every run.
    reporters: ['default', './test/reporters/file-times.ts'],
    // Test files run in lanes, one per two cores: a drill keeps about one core busy (its broker,
    // fleet and sampler), and a second drill beside it on a 2-core runner that already has other
    // work made drills inconclusive (tried: load average 30+, most drill files failed; at load 7–22,
    // the payments latency drill failed its recovery for want of CPU, see README). Each drill
    // has its own broker, ports, topics and labels, and each file its own docker run id
    // (docker-leak-check.ts), so files are free to share a machine when it has the cores.
    // AGENTDRILL_TEST_LANES overrides the count.
    maxWorkers: testLanes(),
    projects: [
      // Property tests run thousands of cases: on a loaded 2-core runner 5 s is too tight a guard.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/docker-leak-check.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
