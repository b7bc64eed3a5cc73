import os from 'node:os';
import { defineConfig } from 'vitest/config';

function testLanes(): number {
  const asked = Number(process.env.AGENTDRILL_TEST_LANES);
  if (Number.isInteger(asked) && asked >= 1 && asked <= 8) return asked;
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

const realParts = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const realPartsSetup = {
  globalSetup: ['test/integration/global-setup.ts'],
  setupFiles: ['test/integration/docker-leak-check.ts'],
  testTimeout: 300_000,
  hookTimeout: 300_000,
};

/**
 * Files with real brokers, processes or a browser whose results do not depend on how
 * fast the machine is: no drill verdict, no race against a target. They run beside the drills at a
 * lower CPU priority (scripts/test.mjs), so a drill keeps the cores it needs on a loaded runner.
 * The Kubernetes files stay with the drills (one local cluster at a time), and so do the Docker
 * ones: a container's processes are the engine's children and would not inherit the lower priority.
 * So does hostile-input: its point is an answer within seconds.
 */
const untimed = [
  'test/e2e/cli-input.test.ts',
  'test/e2e/kubernetes-dry-run.test.ts',
  'test/e2e/prometheus-cli.test.ts',
  'test/e2e/release-gate-cli.test.ts',
  'test/e2e/report-browser.test.ts',
  'test/e2e/report-hostile.test.ts',
  'test/e2e/validate-cli.test.ts',
  'test/integration/example-payments.test.ts',
  'test/integration/example-payments-agents.test.ts',
  'test/integration/fleet.test.ts',
  'test/integration/fleet-commands.test.ts',
  'test/integration/fleet-tether.test.ts',
  'test/integration/load-integrity.test.ts',
  'test/integration/local-provider.test.ts',
  'test/integration/prometheus-pipeline.test.ts',
  'test/integration/team-metrics.test.ts',
  'test/integration/toxics.test.ts',
];

export default defineConfig({
  test: {
    // The default output, then the slowest files: where the suite's time goes, visible in every run.
    reporters: ['default', './test/reporters/file-times.ts'],
    // Drill files run in lanes, one per two cores: a drill keeps about one core busy (its broker,
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
      // The drills and everything else whose verdict depends on the machine's pace. A new file
      // lands here unless it is named in `untimed`: the safe side for a file nobody classified.
      { test: { name: 'integration', include: realParts, exclude: untimed, ...realPartsSetup } },
      // Real parts, nothing judged on wall time (scripts/test.mjs runs them beside the drills, niced).
      { test: { name: 'untimed', include: untimed, ...realPartsSetup } },
    ],
  },
});
