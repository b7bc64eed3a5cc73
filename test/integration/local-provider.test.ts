import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/core/ports.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { groupAlive, processAlive } from '../../src/infra/local/child-process.ts';
import { provisionLocal, startLocal, type LocalStartedInfra } from '../../src/infra/local/index.ts';
import { timedGet } from '../helpers/wait.ts';

const run = promisify(execFile);
const unique = `it-${process.pid}-${Date.now().toString(36)}`;
const tempDirs: string[] = [];
function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `agentdrill-${label}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('local provider', () => {
  let infra: LocalStartedInfra;
  const progress: string[] = [];
  const topic = `${unique}-orders`;
  const groupId = `${unique}-group`;

  beforeAll(async () => {
    infra = await startLocal({ settings: settingsFromEnv(), progress: (m) => progress.push(m), workDir: tempDir('work') });
  });
  afterAll(async () => {
    await infra?.stop();
  });

  it('reports what it started', () => {
    expect(infra.kind).toBe('local');
    expect(infra.kafka.bootstrapServers).toHaveLength(1);
    expect(infra.toxiproxy.listenHost).toBe('127.0.0.1');
    expect(infra.toxiproxy.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(infra.processes.map((p) => p.name).sort()).toEqual(['kafka', 'toxiproxy']);
    expect(progress.some((m) => m.startsWith('Kafka ready'))).toBe(true);
  });

  it('produces and consumes, and describes the group', async () => {
    const kafka = new Kafka({ clientId: unique, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 5 }, (_, i) => `message-${i}`);
    await producer.send({ topic, messages: sent.map((value, i) => ({ key: String(i), value })) });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
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
    expect(received.sort()).toEqual(sent);

    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]?.groupId).toBe(groupId);
    expect(groups[0]?.state).toBe('Stable');
    await consumer.disconnect();
    await admin.disconnect();
  });

  it('puts working Kafka tools in toolsBinDir', async () => {
    const bin = infra.kafka.toolsBinDir!;
    const bootstrap = infra.kafka.bootstrapServers.join(',');
    const groups = await run(path.join(bin, 'kafka-consumer-groups'), ['--bootstrap-server', bootstrap, '--list']);
    expect(groups.stdout.split('\n')).toContain(groupId);
    const topics = await run(path.join(bin, 'kafka-topics'), ['--bootstrap-server', bootstrap, '--list']);
    // Only the tool's own output: no log lines mixed into stdout.
    expect(topics.stdout.trim().split('\n')).toEqual(expect.arrayContaining([topic]));
    expect(topics.stdout).not.toMatch(/INFO|WARN/);
  });

  it('toxiproxy adds measurable latency', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const upstreamPort = (server.address() as { port: number }).port;
      const listenPort = await freePort();
      const toxiproxy = new Toxiproxy(infra.toxiproxy.apiUrl);
      const proxy = await toxiproxy.createProxy({
        name: `${unique}-http`,
        listen: `${infra.toxiproxy.listenHost}:${listenPort}`,
        upstream: `127.0.0.1:${upstreamPort}`,
      });
      const url = `http://${infra.toxiproxy.listenHost}:${listenPort}/`;
      const before = await timedGet(url);
      await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
      const slowed = await timedGet(url);
      expect(before.body).toBe('ok');
      expect(slowed.body).toBe('ok');
      expect(slowed.ms).toBeGreaterThanOrEqual(250);
      await proxy.remove();
    } finally {
      server.close();
    }
  });

  it('stop() leaves no process behind and is idempotent', async () => {
    const pids = infra.processes.map((p) => p.pid);
    expect(pids.every(processAlive)).toBe(true);
    await Promise.all([infra.stop(), infra.stop()]);
    for (const pid of pids) {
      expect(processAlive(pid)).toBe(false);
      expect(groupAlive(pid)).toBe(false);
    }
    await infra.stop();
  });
});

it('children die within seconds when the harness is SIGKILLed', async () => {
  const workDir = tempDir('orphan');
  const script = `import('${path.resolve('src/infra/local/index.ts')}').then(async ({ startLocal }) => {
    const { settingsFromEnv } = await import('${path.resolve('src/core/settings.ts')}');
    const infra = await startLocal({ settings: settingsFromEnv(), progress: () => {}, workDir: ${JSON.stringify(workDir)} });
    console.log(JSON.stringify(infra.processes));
    setInterval(() => {}, 1000);
  });`;
  const harness = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    harness.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    harness.once('exit', (code) => reject(new Error(`harness exited early (${code})`)));
  });
  const pids = (JSON.parse(line) as { pid: number }[]).map((p) => p.pid);
  expect(pids.every(processAlive)).toBe(true);
  harness.kill('SIGKILL');
  const deadline = Date.now() + 12_000;
  while (pids.some((pid) => processAlive(pid) || groupAlive(pid)) && Date.now() < deadline) await sleep(200);
  expect(pids.filter((pid) => processAlive(pid) || groupAlive(pid))).toEqual([]);
});

it('two concurrent provisionings into an empty cache both succeed with the same artifacts', async () => {
  const real = settingsFromEnv();
  const cacheDir = tempDir('cache');
  // Reuse the warm Maven repository so this exercises the locking, not the download speed.
  const warmM2 = path.join(real.cacheDir, 'm2');
  if (fs.existsSync(warmM2)) fs.symlinkSync(warmM2, path.join(cacheDir, 'm2'));
  const settings = { ...real, cacheDir, kafkaHome: undefined, toxiproxyBin: undefined };
  const [a, b] = await Promise.all([provisionLocal(settings, () => {}), provisionLocal(settings, () => {})]);
  expect(b).toEqual(a);
  expect(fs.readdirSync(a.kafkaLibsDir)).toContain(`kafka_2.13-${settings.kafkaVersion}.jar`);
  const { stdout } = await run(a.toxiproxyBin, ['-version']);
  expect(stdout).toContain(settings.toxiproxyVersion);
  expect(fs.readdirSync(cacheDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  const again = await provisionLocal(settings, () => {});
  expect(again).toEqual(a);
});

