import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentdrillError } from '../../core/errors.ts';
import { freePort } from '../../core/ports.ts';
import { spawnTethered, type TetheredChild } from './child-process.ts';
import { indent, tailFile } from './host-tools.ts';

export interface RunningToxiproxy {
  apiUrl: string;
  version: string;
  listenHost: string;
  child: TetheredChild;
}

const host = '127.0.0.1';

export async function startToxiproxy(o: { bin: string; dir: string; timeoutMs?: number }): Promise<RunningToxiproxy> {
  const port = await freePort(host);
  const logFile = path.join(o.dir, 'toxiproxy.log');
  const child = spawnTethered({ name: 'toxiproxy', command: o.bin, args: ['-host', host, '-port', String(port)], cwd: o.dir, logFile });
  const apiUrl = `http://${host}:${port}`;
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  let lastError: unknown;
  while (Date.now() < deadline && !child.hasExited()) {
    try {
      const response = await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { apiUrl, version: parseVersion(await response.text()), listenHost: host, child };
      lastError = new Error(`HTTP ${response.status}`);
    } catch (e) {
      lastError = e;
    }
    await sleep(100);
  }
  await child.stop();
  const why = child.hasExited() ? `the process exited (code ${child.exitCode()})` : `GET /version failed (${String(lastError)})`;
  throw new AgentdrillError('INFRA_START_FAILED', `Toxiproxy did not become ready: ${why}\n${indent(tailFile(logFile, 20))}`, {
    hint: `Full log: ${logFile}`,
    context: { apiUrl, bin: o.bin },
  });
}

/** Toxiproxy ≥ 2.6 answers {"version": "…"}; older ones plain text. */
export function parseVersion(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // plain text
  }
  return body.trim();
}
