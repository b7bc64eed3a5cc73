import { setTimeout as sleep } from 'node:timers/promises';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { drillLabels } from './labels.ts';
import { LoopbackContainer } from './loopback-container.ts';

export interface ToxiproxyContainer {
  container: StartedTestContainer;
  apiUrl: string;
  version: string;
}

const apiPort = 8474;
/** What agent containers dial for a proxy (short for the same reason as kafka-container's alias). */
export const toxiproxyAlias = 'toxiproxy';

/**
 * Toxiproxy with its API and a few proxy ports published on 127.0.0.1. A proxy inside a container
 * is reachable from the host only on a published port, so the ports are chosen now and handed out
 * to proxies later (StartedToxiproxy.nextListen).
 */
export async function startToxiproxyContainer(o: {
  image: string;
  network: string;
  name: string;
  drillId: string;
  runId?: string | undefined;
  apiHostPort: number;
  proxyPorts: readonly number[];
}): Promise<ToxiproxyContainer> {
  const container = await new LoopbackContainer(o.image)
    .withName(o.name)
    .withNetworkMode(o.network)
    .withNetworkAliases(toxiproxyAlias)
    .withLabels(drillLabels(o))
    .withLoopbackPorts([{ host: o.apiHostPort, container: apiPort }, ...o.proxyPorts.map((p) => ({ host: p, container: p }))])
    .withEntrypoint(['/toxiproxy', '-host', '0.0.0.0', '-port', String(apiPort)])
    // FROM scratch: no shell for forListeningPorts. testcontainers' forHttp probed a wrong address
    // against a restarted engine here; its log line, then our own GET /version, are dependable.
    .withWaitStrategy(Wait.forLogMessage('Starting Toxiproxy HTTP server'))
    .withStartupTimeout(60_000)
    .start();
  const apiUrl = `http://127.0.0.1:${o.apiHostPort}`;
  try {
    return { container, apiUrl, version: versionOf(await getVersion(apiUrl, 30_000)) };
  } catch (e) {
    await container.stop({ timeout: 0 }).catch(() => undefined);
    throw e;
  }
}

async function getVersion(apiUrl: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return (await response.text()).trim();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`Toxiproxy's API at ${apiUrl} did not answer within ${timeoutMs / 1000} s`, { cause: e });
    }
    await sleep(200);
  }
}

/** /version answers `v2.12.0` on old releases and `{"version":"v2.12.0"}` on newer ones. */
function versionOf(text: string): string {
  try {
    return String((JSON.parse(text) as { version?: string }).version ?? text);
  } catch {
    return text;
  }
}
