import path from 'node:path';
import { freePort } from '../../core/ports.ts';
import { AgentdrillError } from '../../core/errors.ts';
import { requireTool } from '../local/host-tools.ts';
import { provisionLocal } from '../local/index.ts';
import { writeKafkaTools } from '../local/tools.ts';
import type { InfraProvider, InfraStartOptions, Progress, StartedInfra } from '../provider.ts';
import { collectGarbage } from './gc.ts';
import { hostRelays } from './host-relay.ts';
import { containerLauncher } from '../../fleet/container-launcher.ts';
import type { Launcher } from '../../fleet/launcher.ts';
import { watchEngineOomEvents, type EngineOomEvents } from '../../fleet/oom/engine-events.ts';
import { requireEngine } from './engine.ts';
import { ensureImages } from './images/index.ts';
import { startKafkaContainer } from './kafka-container.ts';
import { createDrillNetwork } from './network.ts';
import { startToxiproxyContainer, toxiproxyAlias } from './toxiproxy-container.ts';

/** Proxy ports published in advance; a drill creates one proxy per fault target (one today). */
const proxyPortCount = 4;

export interface DockerStartedInfra extends StartedInfra {
  readonly drillId: string;
  /** Container names, for leak checks and operators. */
  readonly containers: readonly string[];
}

/**
 * Kafka (KRaft) and Toxiproxy as containers on a per-drill network, started with testcontainers;
 * the agents in containers too (StartedInfra.launcher), unless settings.docker.agentsInContainers is off (AGENTDRILL_DOCKER_AGENTS=process). Everything carries the drill's
 * label; stop() removes by label, so it also catches what a half-done start created.
 */
export async function startDocker(options: InfraStartOptions): Promise<DockerStartedInfra> {
  // Ryuk's image cannot be pulled or built here; cleanup is ours (stop() and `infra gc`).
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const { settings, progress, workDir } = options;
  const drillId = (options.drillId ?? path.basename(workDir)).replace(/[^A-Za-z0-9_.-]/g, '-');
  const owner = { drillId, runId: settings.docker.runId };
  // No engine, no drill: said before any image is pulled or built.
  await requireEngine();
  const images = await ensureImages(settings, progress);
  const prefix = `agentdrill-${drillId}`;
  const relays = { current: undefined as ReturnType<typeof hostRelays> | undefined };
  const oomEvents = { current: undefined as EngineOomEvents | undefined };
  const stop = stopOnce(drillId, async () => {
    await relays.current?.close();
    await oomEvents.current?.close();
  });
  try {
    const network = await createDrillNetwork(prefix, owner);
    relays.current = hostRelays(network.gateway);
    const ports = await distinctFreePorts(2 + proxyPortCount);
    const [kafkaPort, apiPort, ...proxyPorts] = ports as [number, number, ...number[]];
    progress(`Starting Kafka (${images.kafka}) and Toxiproxy (${images.toxiproxy}) containers on ${network.name}…`);
    const startedAt = Date.now();
    const [kafka, toxiproxy] = await Promise.all([
      startKafkaContainer({ image: images.kafka, network: network.name, name: `${prefix}-kafka`, ...owner, hostPort: kafkaPort }),
      startToxiproxyContainer({ image: images.toxiproxy, network: network.name, name: `${prefix}-toxiproxy`, ...owner, apiHostPort: apiPort, proxyPorts }),
    ]);
    progress(`Kafka container ready at ${kafka.bootstrapServers.join(',')} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; Toxiproxy at ${toxiproxy.apiUrl}`);
    // Runbook steps run on the host: the local jars and java, pointed at the published port.
    const provisioned = await provisionLocal(settings, progress);
    const toolsBinDir = await writeKafkaTools({ binDir: path.join(workDir, 'bin'), java: requireTool('java', 'run the Kafka CLI tools for runbook steps'), libsDir: provisioned.kafkaLibsDir });
    const free = [...proxyPorts];
    const relay = relays.current;
    // The engine's oom events are one witness of an agent's OOM kill; listening starts before any agent does.
    if (settings.docker.agentsInContainers) oomEvents.current = watchEngineOomEvents({ drillId, logFile: path.join(workDir, 'docker-oom-events.log'), cwd: workDir });
    const launcher = settings.docker.agentsInContainers
      ? agentLauncher({ network: network.name, ...owner, prefix, kafkaPort, kafka: kafka.internalBootstrap, proxyPorts, oomEvents: oomEvents.current })
      : undefined;
    return {
      kind: 'docker',
      ...(launcher ? { launcher } : {}),
      drillId,
      containers: [`${prefix}-kafka`, `${prefix}-toxiproxy`],
      kafka: { bootstrapServers: kafka.bootstrapServers, containerBootstrapServers: [kafka.internalBootstrap], version: images.kafkaVersion, toolsBinDir },
      toxiproxy: {
        apiUrl: toxiproxy.apiUrl,
        version: toxiproxy.version,
        listenHost: '127.0.0.1',
        nextListen: () => {
          const port = free.shift();
          if (port === undefined) throw new AgentdrillError('INFRA_START_FAILED', `all ${proxyPortCount} published Toxiproxy ports are in use`);
          return `0.0.0.0:${port}`;
        },
        upstreamFor: (address) => relay.addressFor(address),
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Agents in containers: the harness's addresses for Kafka and the Toxiproxy ports, as a container dials them. */
function agentLauncher(o: {
  network: string;
  drillId: string;
  runId?: string | undefined;
  prefix: string;
  kafkaPort: number;
  kafka: string;
  proxyPorts: number[];
  oomEvents: EngineOomEvents | undefined;
}): Launcher {
  const addresses: Record<string, string> = { [`127.0.0.1:${o.kafkaPort}`]: o.kafka };
  for (const port of o.proxyPorts) addresses[`127.0.0.1:${port}`] = `${toxiproxyAlias}:${port}`;
  return containerLauncher({ network: o.network, drillId: o.drillId, runId: o.runId, namePrefix: `${o.prefix}-agent`, addresses, ...(o.oomEvents ? { oomEvents: o.oomEvents } : {}) });
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Removes by label (containers, then the network), so a partial start is cleaned the same way. */
function stopOnce(drillId: string, closeLocal: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await closeLocal();
      await collectGarbage(drillId);
    })();
    return stopping;
  };
}

export const dockerProvider: InfraProvider = { kind: 'docker', start: startDocker };
