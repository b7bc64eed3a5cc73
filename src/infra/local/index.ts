import fs from 'node:fs/promises';
import path from 'node:path';
import type { InfraProvider, InfraStartOptions, StartedInfra } from '../provider.ts';
import { requireTool } from './host-tools.ts';
import { startKafka, type RunningKafka } from './kafka-process.ts';
import { provisionLocal } from './provision.ts';
import { writeKafkaTools } from './tools.ts';
import { startToxiproxy, type RunningToxiproxy } from './toxiproxy-process.ts';

export { provisionLocal, type ProvisionedLocal } from './provision.ts';

/** What the local provider started, by name and pid (for memory sampling and leak checks). */
export interface LocalStartedInfra extends StartedInfra {
  readonly processes: readonly { name: string; pid: number }[];
}

/** Kafka (KRaft, one node) and Toxiproxy as child processes of the harness, from the per-user cache. */
export async function startLocal(options: InfraStartOptions): Promise<LocalStartedInfra> {
  const { settings, progress, workDir } = options;
  const provisioned = await provisionLocal(settings, progress);
  const java = requireTool('java', 'run Kafka');
  await fs.mkdir(path.join(workDir, 'toxiproxy'), { recursive: true });
  progress(`Starting Kafka ${provisioned.kafkaVersion} and Toxiproxy ${provisioned.toxiproxyVersion}…`);
  const startedAt = Date.now();
  // Side by side: Toxiproxy is up in milliseconds, Kafka takes seconds.
  const [kafka, toxiproxy] = await Promise.allSettled([
    startKafka({ java, libsDir: provisioned.kafkaLibsDir, dir: path.join(workDir, 'kafka') }),
    startToxiproxy({ bin: provisioned.toxiproxyBin, dir: path.join(workDir, 'toxiproxy') }),
  ]);
  if (kafka.status === 'rejected' || toxiproxy.status === 'rejected') {
    if (kafka.status === 'fulfilled') await kafka.value.child.stop();
    if (toxiproxy.status === 'fulfilled') await toxiproxy.value.child.stop();
    throw kafka.status === 'rejected' ? kafka.reason : (toxiproxy as PromiseRejectedResult).reason;
  }
  const stop = stopOnce(kafka.value, toxiproxy.value);
  try {
    const toolsBinDir = await writeKafkaTools({ binDir: path.join(workDir, 'bin'), java, libsDir: provisioned.kafkaLibsDir });
    progress(`Kafka ready at ${kafka.value.bootstrapServers.join(',')} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; Toxiproxy at ${toxiproxy.value.apiUrl}`);
    return {
      kind: 'local',
      kafka: { bootstrapServers: kafka.value.bootstrapServers, version: provisioned.kafkaVersion, toolsBinDir },
      toxiproxy: { apiUrl: toxiproxy.value.apiUrl, version: toxiproxy.value.version, listenHost: toxiproxy.value.listenHost },
      processes: [kafka.value.child, toxiproxy.value.child].map((c) => ({ name: c.name, pid: c.pid })),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Toxiproxy first: it proxies to Kafka, so it goes before what it points at. */
function stopOnce(kafka: RunningKafka, toxiproxy: RunningToxiproxy): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await toxiproxy.child.stop();
      await kafka.child.stop();
    })();
    return stopping;
  };
}

export const localProvider: InfraProvider = { kind: 'local', start: startLocal };
