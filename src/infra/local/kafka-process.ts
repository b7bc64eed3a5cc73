import fs from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import { waitForBrokerReady } from '../broker-ready.ts';
import { freePort, waitForPort } from '../../core/ports.ts';
import { spawnTethered, type TetheredChild } from './child-process.ts';
import { indent, runTool, tailFile } from './host-tools.ts';
import { brokerJvmArgs, newClusterId, renderLog4j2, renderServerProperties } from './kafka-config.ts';

export interface RunningKafka {
  bootstrapServers: string[];
  child: TetheredChild;
  /** The broker's log4j file (WARN and up). */
  logFile: string;
}

export interface StartKafkaOptions {
  java: string;
  libsDir: string;
  /** Kafka's config, data and logs go in here. */
  dir: string;
  timeoutMs?: number;
}

const host = '127.0.0.1';

export async function startKafka(o: StartKafkaOptions): Promise<RunningKafka> {
  await fs.mkdir(o.dir, { recursive: true });
  const [brokerPort, controllerPort] = await twoFreePorts();
  const propsFile = path.join(o.dir, 'server.properties');
  const log4jFile = path.join(o.dir, 'log4j2.properties');
  const logFile = path.join(o.dir, 'broker.log');
  const stdoutFile = path.join(o.dir, 'broker.out');
  await fs.writeFile(propsFile, renderServerProperties({ host, brokerPort, controllerPort, logDir: path.join(o.dir, 'data') }));
  await fs.writeFile(log4jFile, renderLog4j2('WARN', logFile));
  const jvm = [...brokerJvmArgs, `-Dlog4j2.configurationFile=${log4jFile}`, '-cp', path.join(o.libsDir, '*')];

  await runTool(o.java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', propsFile, '--standalone'], {
    cwd: o.dir,
    what: 'Formatting the Kafka storage',
    timeoutMs: 120_000,
    errorCode: 'INFRA_START_FAILED',
  });

  const child = spawnTethered({ name: 'kafka', command: o.java, args: [...jvm, 'kafka.Kafka', propsFile], cwd: o.dir, logFile: stdoutFile });
  const bootstrapServers = [`${host}:${brokerPort}`];
  try {
    await waitUntilReady(child, brokerPort, bootstrapServers, o.timeoutMs ?? 120_000);
  } catch (e) {
    await child.stop();
    const detail = [tailFile(logFile, 25), tailFile(stdoutFile, 15)].filter(Boolean).join('\n');
    throw new AgentdrillError('INFRA_START_FAILED', `Kafka did not become ready: ${(e as Error).message}\n${indent(detail)}`, {
      hint: `Full logs: ${logFile} and ${stdoutFile}`,
      context: { bootstrapServers },
      cause: e,
    });
  }
  return { bootstrapServers, child, logFile };
}

async function twoFreePorts(): Promise<[number, number]> {
  const a = await freePort(host);
  let b = await freePort(host);
  while (b === a) b = await freePort(host);
  return [a, b];
}

/** The port first (a dead broker fails fast), then the shared describeCluster readiness. */
async function waitUntilReady(child: TetheredChild, port: number, brokers: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const died = () => new Error(`the broker process exited (code ${child.exitCode()})`);
  // Short slices, so a broker that dies early fails the start at once and leaves no poll running.
  let portOpen = false;
  while (!portOpen && !child.hasExited() && Date.now() < deadline) portOpen = await waitForPort(port, host, 500);
  if (child.hasExited()) throw died();
  if (!portOpen) throw new Error(`port ${port} did not open within ${Math.round(timeoutMs / 1000)} s`);

  await waitForBrokerReady(brokers, deadline, () => (child.hasExited() ? died() : undefined));
}
