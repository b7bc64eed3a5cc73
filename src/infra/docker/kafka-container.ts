import { Wait, type StartedTestContainer } from 'testcontainers';
import { waitForBrokerReady } from '../broker-ready.ts';
import { brokerJvmArgs, newClusterId, renderLog4j2, renderServerProperties } from '../local/kafka-config.ts';
import { drillLabels } from './labels.ts';
import { LoopbackContainer } from './loopback-container.ts';

export interface KafkaContainer {
  container: StartedTestContainer;
  bootstrapServers: string[];
  /** For other containers on the drill network. */
  internalBootstrap: string;
}

const internalPort = 19092;
/**
 * The name other containers dial on the drill network. Not the container name: that carries the
 * drill id, and a DNS label holds at most 63 characters (glibc refuses longer ones: ENOTFOUND).
 */
export const kafkaAlias = 'kafka';
const controllerPort = 19093;
const startedLine = 'agentdrill: kafka starting';

/**
 * Two listeners: HOST, advertised as 127.0.0.1:<hostPort> (the host port is chosen before the
 * container starts and published on the same number, so it can be advertised at create time), and
 * INTERNAL, advertised by container name for containers on the drill network. The broker tuning
 * is the local provider's; only the listeners differ.
 */
export function containerServerProperties(o: { hostPort: number; networkAlias: string }): string {
  const overrides: Record<string, string> = {
    'controller.quorum.bootstrap.servers': `localhost:${controllerPort}`,
    listeners: `HOST://0.0.0.0:${o.hostPort},INTERNAL://0.0.0.0:${internalPort},CONTROLLER://localhost:${controllerPort}`,
    'advertised.listeners': `HOST://127.0.0.1:${o.hostPort},INTERNAL://${o.networkAlias}:${internalPort},CONTROLLER://localhost:${controllerPort}`,
    'listener.security.protocol.map': 'HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
  };
  const base = renderServerProperties({ host: 'localhost', brokerPort: internalPort, controllerPort, logDir: '/tmp/kafka-data' });
  return base.replace(/^([^=\n]+)=.*$/gm, (line, key: string) => (key in overrides ? `${key}=${overrides[key]}` : line));
}

/** Works on our image and on apache/kafka: both have `java` on PATH and the jars in /opt/kafka/libs. */
function entrypoint(): string {
  const jvm = [...brokerJvmArgs, '-Dlog4j2.configurationFile=/tmp/agentdrill/log4j2.properties', '-cp', "'/opt/kafka/libs/*'"].join(' ');
  return [
    '#!/bin/sh',
    'set -e',
    `java ${jvm} kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c /tmp/agentdrill/server.properties --standalone --ignore-formatted`,
    `echo '${startedLine}'`,
    `exec java ${jvm} kafka.Kafka /tmp/agentdrill/server.properties`,
    '',
  ].join('\n');
}

export async function startKafkaContainer(o: {
  image: string;
  network: string;
  name: string;
  drillId: string;
  runId?: string | undefined;
  hostPort: number;
  timeoutMs?: number;
}): Promise<KafkaContainer> {
  const container = await new LoopbackContainer(o.image)
    .withName(o.name)
    .withNetworkMode(o.network)
    .withNetworkAliases(kafkaAlias)
    .withLabels(drillLabels(o))
    .withLoopbackPorts([{ host: o.hostPort, container: o.hostPort }])
    .withEnvironment({ KAFKA_CLUSTER_ID: newClusterId() })
    .withCopyContentToContainer([
      { content: containerServerProperties({ hostPort: o.hostPort, networkAlias: kafkaAlias }), target: '/tmp/agentdrill/server.properties' },
      { content: renderLog4j2('WARN'), target: '/tmp/agentdrill/log4j2.properties' },
      { content: entrypoint(), target: '/tmp/agentdrill/entrypoint.sh', mode: 0o755 },
    ])
    .withEntrypoint(['/bin/sh', '/tmp/agentdrill/entrypoint.sh'])
    // Not forListeningPorts (it needs a shell and probes in-container): the entrypoint's own line.
    .withWaitStrategy(Wait.forLogMessage(startedLine))
    .withStartupTimeout(o.timeoutMs ?? 120_000)
    .start();
  const bootstrapServers = [`127.0.0.1:${o.hostPort}`];
  try {
    await waitForBrokerReady(bootstrapServers, Date.now() + (o.timeoutMs ?? 120_000));
  } catch (e) {
    await container.stop({ timeout: 0 }).catch(() => undefined);
    throw e;
  }
  return { container, bootstrapServers, internalBootstrap: `${kafkaAlias}:${internalPort}` };
}

/** Ready = describeCluster lists a broker and a controller through the published port. */
