import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentdrillError } from '../../core/errors.ts';
import { spawnTethered, type TetheredChild } from '../../infra/local/child-process.ts';
import { indent, tailFile } from '../../infra/local/host-tools.ts';

/**
 * A Prometheus-family server (Prometheus, Alertmanager) as a tethered child of the harness: it goes
 * when the drill tears down, and within seconds when the harness dies without a teardown. Ready
 * once its /-/ready answers 200, or INFRA_START_FAILED with its log's tail.
 */
export async function startDaemon(o: { name: string; bin: string; args: string[]; dir: string; url: string; timeoutMs: number; signal?: AbortSignal }): Promise<TetheredChild> {
  await mkdir(o.dir, { recursive: true });
  const logFile = path.join(o.dir, `${o.name}.log`);
  const child = spawnTethered({ name: o.name, command: o.bin, args: o.args, cwd: o.dir, logFile });
  const deadline = Date.now() + o.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline && !child.hasExited() && !o.signal?.aborted) {
    try {
      const response = await fetch(`${o.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return child;
      last = `HTTP ${response.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await sleep(100);
  }
  await child.stop();
  const why = child.hasExited() ? `the process exited (code ${child.exitCode()})` : o.signal?.aborted ? 'interrupted' : `GET /-/ready: ${last}`;
  throw new AgentdrillError('INFRA_START_FAILED', `${o.name} did not become ready: ${why}\n${indent(tailFile(logFile, 20))}`, {
    hint: `full log: ${logFile}`,
    context: { url: o.url, bin: o.bin },
  });
}
