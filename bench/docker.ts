import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/core/ports.ts';
import { settingsFromEnv, type Settings } from '../src/core/settings.ts';
import { collectGarbage } from '../src/infra/docker/gc.ts';
import { baseImageTag } from '../src/infra/docker/images/base-image.ts';
import { buildLocalImages } from '../src/infra/docker/images/index.ts';
import { startDocker } from '../src/infra/docker/index.ts';
import { startKafkaContainer } from '../src/infra/docker/kafka-container.ts';
import { createDrillNetwork } from '../src/infra/docker/network.ts';
import { startOrderPipeline } from '../test/helpers/order-pipeline.ts';
import { benchRate } from './bringup.ts';
import { benchDrillId, withCleanup } from './cleanup.ts';

export interface DockerBringUpFigures {
  /** startKafkaContainer alone (image present, network made): create → describeCluster answers. */
  kafkaAdminMs: number;
  /** startDocker → its "Kafka container ready" line: images (cached), network, both containers. */
  brokerReadyMs: number | undefined;
  /** startDocker until it returns: also the host's Kafka tools. */
  infraReadyMs: number;
  /** The order pipeline from its fleet file: its setup, its image (cached), the API stand-in, 4 agents each in its own container. */
  fleetReadyMs: number;
}

/** Warm bring-up on the docker provider, each part timed like the local one (bench/bringup.ts). */
export async function benchDockerBringUp(): Promise<DockerBringUpFigures> {
  // Ryuk cannot run here; startDocker sets this too, but the bare Kafka start below comes first.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const kafkaAdminMs = await kafkaContainerStart();
  const drillId = benchDrillId('bringup');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'agentdrill-bench-docker-'));
  try {
    return await withCleanup(
      () => collectGarbage(drillId),
      async () => {
          let brokerReadyMs: number | undefined;
          let t = performance.now();
          const infra = await startDocker({
            settings: settingsWithAgentsInContainers(),
            workDir,
            drillId,
            progress: (m) => {
              if (/^Kafka container ready/.test(m)) brokerReadyMs = performance.now() - t;
            },
          });
          const infraReadyMs = performance.now() - t;
          try {
            t = performance.now();
            // No registry answers here: the example's image is built on agentdrill's own base. A failed
            // start stops what it started itself; the label sweep is the backstop.
            const pipeline = await startOrderPipeline({ infra, prefix: 'bench-', workDir, ratePerSec: benchRate, containers: true, env: { ...process.env, ORDER_PIPELINE_BASE: baseImageTag() } });
            const fleetReadyMs = performance.now() - t;
            await pipeline.stop();
            return { kafkaAdminMs, brokerReadyMs, infraReadyMs, fleetReadyMs };
          } finally {
            await infra.stop();
          }
        },
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Kafka alone in a container on a labelled network: start → first successful admin call. */
async function kafkaContainerStart(): Promise<number> {
  const images = await buildLocalImages(settingsFromEnv(), () => undefined);
  const drillId = benchDrillId('kafka');
  const name = `agentdrill-${drillId}`;
  return withCleanup(
    () => collectGarbage(drillId),
    async () => {
      const network = await createDrillNetwork(name, { drillId });
      const hostPort = await freePort();
      const t = performance.now();
      const kafka = await startKafkaContainer({ image: images.kafka, network: network.name, name: `${name}-kafka`, drillId, hostPort });
      const ms = performance.now() - t;
      await kafka.container.stop({ timeout: 0 });
      return ms;
    },
  );
}

/** The machine's settings with agents in containers, whatever AGENTDRILL_DOCKER_AGENTS says: the bench's docker figures are those. */
export function settingsWithAgentsInContainers(): Settings {
  const settings = settingsFromEnv();
  return { ...settings, docker: { ...settings.docker, agentsInContainers: true } };
}
