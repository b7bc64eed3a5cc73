import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from '../src/core/ports.ts';
import { settingsFromEnv } from '../src/core/settings.ts';
import { requireTool } from '../src/infra/local/host-tools.ts';
import { brokerJvmArgs, newClusterId, renderLog4j2, renderServerProperties } from '../src/infra/local/kafka-config.ts';
import { localProvider, provisionLocal } from '../src/infra/local/index.ts';
import { startKafka } from '../src/infra/local/kafka-process.ts';
import { startOrderPipeline } from '../test/helpers/order-pipeline.ts';

export interface BringUpFigures {
  provisionWarmMs: number;
  bareBrokerMs: number;
  /** startKafka alone (jars cached): format + JVM start → describeCluster answers. */
  kafkaAdminMs: number;
  infraReadyMs: number;
  brokerReadyMs: number | undefined;
  proxyReadyMs: number | undefined;
  fleetReadyMs: number;
}

/** Warm bring-up: each part timed on its own, next to a bare broker (format + port open). */
export async function benchBringUp(): Promise<BringUpFigures> {
  const settings = settingsFromEnv();
  let t = performance.now();
  const provisioned = await provisionLocal(settings, () => undefined);
  const provisionWarmMs = performance.now() - t;

  const bareBrokerMs = await bareBrokerStart(provisioned.kafkaLibsDir);
  const kafkaAdminMs = await kafkaProcessStart(provisioned.kafkaLibsDir);

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'agentdrill-bench-'));
  try {
    const marks: Record<string, number> = {};
    t = performance.now();
    const infra = await localProvider.start({
      settings,
      workDir,
      progress: (m) => {
        if (/^Kafka ready/.test(m)) marks.broker = performance.now() - t;
      },
    });
    const infraReadyMs = performance.now() - t;
    const toxStart = performance.now();
    await fetch(`${infra.toxiproxy.apiUrl}/version`);
    marks.proxy = infraReadyMs - (marks.broker ?? infraReadyMs) + (performance.now() - toxStart);
    try {
      t = performance.now();
      const pipeline = await startOrderPipeline({ infra, prefix: 'bench-', workDir, ratePerSec: benchRate });
      const fleetReadyMs = performance.now() - t;
      await pipeline.stop();
      return { provisionWarmMs, bareBrokerMs, kafkaAdminMs, infraReadyMs, brokerReadyMs: marks.broker, proxyReadyMs: marks.proxy, fleetReadyMs };
    } finally {
      await infra.stop();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The load both providers' bring-up figures start the order pipeline with (its fleet file's rate). */
export const benchRate = 60;

/** The local analogue of the docker provider's Kafka container start: the provider's own startKafka. */
async function kafkaProcessStart(libsDir: string): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agentdrill-bench-kafka-'));
  try {
    const t = performance.now();
    const kafka = await startKafka({ java: requireTool('java', 'run Kafka'), libsDir, dir });
    const ms = performance.now() - t;
    await kafka.child.stop();
    return ms;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The floor: `kafka.tools.StorageTool format` then `kafka.Kafka` until its port accepts. */
async function bareBrokerStart(libsDir: string): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agentdrill-bare-'));
  const brokerPort = await freePort();
  const controllerPort = await freePort();
  const props = path.join(dir, 'server.properties');
  const log4j = path.join(dir, 'log4j2.properties');
  await writeFile(props, renderServerProperties({ host: '127.0.0.1', brokerPort, controllerPort, logDir: path.join(dir, 'data') }));
  await writeFile(log4j, renderLog4j2('ERROR'));
  const jvm = [...brokerJvmArgs, `-Dlog4j2.configurationFile=${log4j}`, '-cp', path.join(libsDir, '*')];
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const format = spawn('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', props, '--standalone'], { stdio: 'ignore' });
    format.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`format exited ${code}`))));
  });
  const broker = spawn('java', [...jvm, 'kafka.Kafka', props], { stdio: 'ignore' });
  try {
    await waitForPort(brokerPort, '127.0.0.1', 60_000);
    return performance.now() - t;
  } finally {
    const exited = new Promise((r) => broker.once('exit', r));
    broker.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}
