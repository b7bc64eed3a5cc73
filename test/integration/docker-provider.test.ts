import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { startDocker, type DockerStartedInfra } from '../../src/infra/docker/index.ts';
import { runCli } from '../helpers/cli.ts';
import { timedGet } from '../helpers/wait.ts';

// Needs a Docker engine: `npm test` provides one (scripts/docker-engine.mjs); never skipped.
const run = promisify(execFile);
const unique = `it-${process.pid}-${Date.now().toString(36)}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

async function labelled(kind: 'ps -a' | 'network ls', label: string): Promise<string[]> {
  const { stdout } = await run('docker', [...kind.split(' '), '--filter', `label=${label}`, '--format', '{{.ID}}']);
  return stdout.split('\n').filter(Boolean);
}

describe('docker provider', () => {
  let infra: DockerStartedInfra;
  const progress: string[] = [];

  beforeAll(async () => {
    infra = await startDocker({ settings: settingsFromEnv(), progress: (m) => progress.push(m), workDir, drillId: unique });
  });
  afterAll(async () => {
    await infra?.stop();
  });

  it('runs Kafka and Toxiproxy as labelled containers, published on 127.0.0.1 only', async () => {
    expect(infra.kind).toBe('docker');
    expect(infra.kafka.bootstrapServers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await labelled('ps -a', `agentdrill.drill=${unique}`)).toHaveLength(2);
    expect(await labelled('network ls', `agentdrill.drill=${unique}`)).toHaveLength(1);
    const { stdout } = await run('docker', ['ps', '--filter', `label=agentdrill.drill=${unique}`, '--format', '{{.Ports}}']);
    const bindings = stdout.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.filter((b) => !b.startsWith('127.0.0.1:'))).toEqual([]);
    expect(progress.some((m) => m.startsWith('Kafka container ready'))).toBe(true);
  });

  it('produces and consumes through the published port', async () => {
    const kafka = new Kafka({ clientId: unique, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topic = `${unique}-orders`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 5 }, (_, i) => `message-${i}`);
    await producer.send({ topic, messages: sent.map((value, i) => ({ key: String(i), value })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${unique}-group` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString() ?? '');
      },
    });
    const deadline = Date.now() + 60_000;
    while (received.length < sent.length && Date.now() < deadline) await sleep(100);
    await consumer.disconnect();
    await admin.disconnect();
    expect(received.sort()).toEqual(sent);
  });

  it('the Kafka tools in toolsBinDir reach the container', async () => {
    const { stdout } = await run(path.join(infra.kafka.toolsBinDir!, 'kafka-topics'), ['--bootstrap-server', infra.kafka.bootstrapServers[0]!, '--list']);
    expect(stdout.split('\n')).toContain(`${unique}-orders`);
  });

  it('a latency toxic in the Toxiproxy container delays calls to a host HTTP server', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
      const proxy = await new Toxiproxy(infra.toxiproxy.apiUrl).createProxy({
        name: `${unique}-http`,
        listen: infra.toxiproxy.nextListen!(),
        upstream: await infra.toxiproxy.upstreamFor!(target),
      });
      const url = `http://${infra.toxiproxy.listenHost}:${proxy.listen.split(':').pop()}/`;
      const before = await timedGet(url);
      await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
      const slowed = await timedGet(url);
      expect([before.body, slowed.body]).toEqual(['ok', 'ok']);
      expect(slowed.ms).toBeGreaterThanOrEqual(250);
      expect(slowed.ms - before.ms).toBeGreaterThanOrEqual(200);
      await proxy.remove();
    } finally {
      server.close();
    }
  });

  it('stop() removes every container and the network, idempotently', async () => {
    await Promise.all([infra.stop(), infra.stop()]);
    expect(await labelled('ps -a', `agentdrill.drill=${unique}`)).toEqual([]);
    expect(await labelled('network ls', `agentdrill.drill=${unique}`)).toEqual([]);
    await infra.stop();
  });
});

it('`agentdrill infra gc` removes a leaked labelled container', async () => {
  const drill = `${unique}-leak`;
  const image = (await run('docker', ['images', '--filter', 'reference=agentdrill/toxiproxy', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')[0]!;
  await run('docker', ['create', '--label', 'agentdrill=1', '--label', `agentdrill.drill=${drill}`, '--label', `agentdrill.run=${process.env.AGENTDRILL_RUN_ID ?? ''}`, '--name', `agentdrill-${drill}`, image]);
  expect(await labelled('ps -a', `agentdrill.drill=${drill}`)).toHaveLength(1);
  const result = await runCli(['infra', 'gc', '--drill', drill]);
  expect(result.stdout).toContain(`removed container agentdrill-${drill}`);
  expect(await labelled('ps -a', `agentdrill.drill=${drill}`)).toEqual([]);
});

