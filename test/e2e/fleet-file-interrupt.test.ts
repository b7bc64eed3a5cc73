import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { processesWithMarker, repoRoot, startCli, waitFor } from '../helpers/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-fleet-int-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// A team agent that never gets healthy (its health port never opens, for up to 5 minutes):
// Ctrl-C must not wait that out, and must leave none of the team's processes behind.
it('Ctrl-C while a fleet file\'s agent waits for its health check: exit 130 at once, its processes gone', async () => {
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), `name: stuck
topics: { in: { partitions: 1 }, out: { partitions: 1 } }
agents:
  waiter:
    command: { argv: [python3, -c, "import time; time.sleep(300)"] }
    consumes: { topic: in }
    produces: [out]
    health: { tcp: "127.0.0.1:\${instance.port}", timeout: 5m }
load: { topic: in, rate: 10/s, value: { template: '{"n": {{seq}}}' } }
integrity: { topic: out, match: { header: agentdrill-stamp } }
`);
  fs.writeFileSync(path.join(dir, 'drill.yaml'), `name: stuck
fleet: fleet.yaml
fault: { type: kill-consumer, agent: waiter }
runbook: ${path.join(repoRoot, 'examples/payments/runbook.md')}#scorer-rebalance
targets: { detectWithin: 20s, recoverWithin: 60s }
steadyState: { window: 5s, conditions: ["lag(group=waiter) < 100"] }
`);
  const run = startCli(['run', path.join(dir, 'drill.yaml'), '--no-validate', '--out', path.join(dir, 'out')]);
  onTestFinished(() => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  });
  const waiting = await waitFor(() => processesWithMarker(run.marker).some((p) => p.args.includes('time.sleep(300)')), 120_000);
  expect(waiting, run.stderr()).toBe(true);
  run.child.kill('SIGINT');
  // Bounded far below the health timeout: an interrupt that waited it out would fail here.
  const exited = await waitFor(() => run.child.exitCode !== null, 60_000);
  expect(exited, run.stderr()).toBe(true);
  expect(run.child.exitCode).toBe(130);
  expect(await waitFor(() => processesWithMarker(run.marker).length === 0, 10_000)).toBe(true);
});
