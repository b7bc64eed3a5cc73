import { spawnSync } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve(import.meta.dirname, '..', 'bin', 'agentdrill.mjs');

/**
 * How long `agentdrill <args>` takes to start and answer: every `agentdrill ctl` a runbook step
 * runs pays this, and it counts in the drill's time-to-recover. Median of `runs` warm starts.
 */
export function benchCliStartup(args: string[], runs = 7): { medianMs: number; minMs: number } {
  const times: number[] = [];
  spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' }); // builds the CLI's bundle if a source changed
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]! };
}
