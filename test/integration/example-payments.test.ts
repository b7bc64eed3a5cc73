import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/core/ports.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { fleetAgentTemplates } from '../../src/fleet/definition/agent-templates.ts';
import { loadFleetFile } from '../../src/fleet/definition/load.ts';
import { drillNames, resolveDependencyCommand, type DrillAddresses } from '../../src/fleet/definition/resolve.ts';
import type { FleetDefinition } from '../../src/fleet/definition/schema.ts';
import { processLauncher } from '../../src/fleet/process-launcher.ts';
import { Supervisor } from '../../src/fleet/supervisor.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
// @ts-expect-error the example's setup is plain JavaScript, as a team's would be
import { setupPaymentsExample } from '../../examples/payments/setup.mjs';
import { until } from '../helpers/wait.ts';

/**
 * The payments example — a Python scorer on confluent-kafka and a Java ledger on kafka-clients,
 * neither written for agentdrill — run from its fleet file by the supervisor, on a real broker,
 * with its fraud stand-in behind a real Toxiproxy proxy. The drills of this fleet build on it.
 */
const runTag = `${process.pid}-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-payments-'));
let infra: StartedInfra;
let admin: Admin;
let fleet: FleetDefinition;
let supervisor: Supervisor;
let standIn: ChildProcess | undefined;
const events: FleetEvent[] = [];
const at: DrillAddresses = { prefix: `pay-${runTag}-`, bootstrap: '', deps: {}, env: {} };
let names: ReturnType<typeof drillNames>;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  await setupPaymentsExample({ log: () => undefined });
  fleet = (await loadFleetFile('examples/payments/fleet.yaml')).fleet;
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: path.join(work, 'infra') });
  cleanups.push(() => infra.stop());
  at.bootstrap = infra.kafka.bootstrapServers.join(',');
  admin = new Kafka({ clientId: `payments-test-${runTag}`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  names = drillNames(fleet, at.prefix);
  await admin.createTopics({ waitForLeaders: true, topics: Object.entries(fleet.topics).map(([key, t]) => ({ topic: names.topics[key]!, numPartitions: t.partitions })) });

  const standInPort = await freePort();
  const command = resolveDependencyCommand(fleet, 'fraud-api', { host: '127.0.0.1', port: standInPort }, at);
  standIn = spawn(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, env: { PATH: process.env.PATH, ...command.env }, stdio: 'ignore' });
  cleanups.push(async () => void standIn?.kill('SIGKILL'));
  const proxyPort = await freePort();
  const proxy = await new Toxiproxy(infra.toxiproxy.apiUrl).createProxy({ name: `${at.prefix}fraud-api`, listen: `${infra.toxiproxy.listenHost}:${proxyPort}`, upstream: `127.0.0.1:${standInPort}` });
  cleanups.push(() => proxy.remove());
  at.deps['fraud-api'] = { host: infra.toxiproxy.listenHost, port: proxyPort };

  supervisor = new Supervisor({
    launcher: processLauncher(),
    workDir: path.join(work, 'fleet'),
    templates: fleetAgentTemplates(fleet, at, { admin: () => admin, instancesOf: (a) => supervisor.of(a).length }),
    healthTimeoutMs: 90_000,
    stopGraceMs: 8000,
  });
  supervisor.onEvent((e) => events.push(e));
  cleanups.push(() => supervisor.stopAll());
  await Promise.all([supervisor.add('scorer', 2), supervisor.add('ledger', 1)]);
}, 240_000);

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo().catch(() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
});

async function produce(count: number, from: number): Promise<void> {
  const producer = new Kafka({ clientId: `payments-load-${runTag}`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: count }, (_, i) => ({
      key: `customer-${(from + i) % 7}`,
      value: JSON.stringify({ payment_id: `p-${from + i}`, customer: `customer-${(from + i) % 7}`, amount: 10 + i }),
      headers: { 'agentdrill-stamp': `${runTag}:${from + i}` },
    }));
    await producer.send({ topic: names.topics.requests!, messages: [...messages, { key: 'bad', value: 'not json', headers: {} }] });
  } finally {
    await producer.disconnect();
  }
}

describe('the payments example (Python and Java agents) from its fleet file', () => {
  it('chains both agents over the drill-prefixed topics, headers carried to the end, bad input counted', async () => {
    await produce(60, 0);
    const seen = new Map<string, Record<string, unknown>>();
    const consumer = new Kafka({ clientId: `payments-end-${runTag}`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).consumer({ groupId: `${at.prefix}end-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: names.topics.booked!, fromBeginning: true });
    void consumer.run({
      eachMessage: async ({ message }) => {
        const stamp = message.headers?.['agentdrill-stamp']?.toString();
        if (stamp) seen.set(stamp, JSON.parse(message.value!.toString()) as Record<string, unknown>);
      },
    });
    try {
      await until('60 stamped payments booked', () => seen.size >= 60, 120_000);
    } finally {
      await consumer.disconnect();
    }
    const sample = seen.get(`${runTag}:5`)!;
    expect(sample).toMatchObject({ payment_id: 'p-5', customer: 'customer-5', booked: true });
    expect(typeof sample.risk).toBe('number');

    const scorers = supervisor.of('scorer').map((s) => s.info());
    const metrics = await Promise.all(scorers.map(async (s) => (await fetch(`${s.adminUrl}/metrics`)).text()));
    const invalid = metrics.map((m) => Number(/^scorer_invalid_inputs_total (\d+)$/m.exec(m)?.[1] ?? NaN));
    expect(invalid.reduce((a, b) => a + b, 0)).toBe(1);
  }, 180_000);

  it('a SIGKILLed scorer is restarted and keeps its totals; a corrupted state file makes it refuse to start', async () => {
    const scorer = supervisor.of('scorer')[0]!;
    const stateFile = path.join(work, 'fleet', 'state', scorer.id, 'totals.json');
    await until('the scorer saved its totals', () => fs.existsSync(stateFile) && Object.keys(JSON.parse(fs.readFileSync(stateFile, 'utf8')).totals).length > 0, 30_000);
    const before = JSON.parse(fs.readFileSync(stateFile, 'utf8')).totals as Record<string, number>;
    await scorer.kill('SIGKILL');
    await until('the scorer restarted', () => scorer.info().restarts >= 1 && scorer.running, 90_000);
    const after = JSON.parse(fs.readFileSync(stateFile, 'utf8')).totals as Record<string, number>;
    for (const [customer, total] of Object.entries(before)) expect(after[customer]).toBeGreaterThanOrEqual(total);

    await scorer.stop();
    fs.writeFileSync(stateFile, '\u0000\u00ffgarbage{');
    const exitsBefore = events.length;
    void scorer.start().catch(() => undefined);
    await until('the scorer refused its corrupt state', () => events.slice(exitsBefore).find((e) => e.type === 'instance.exited' && e.instanceId === scorer.id && e.detail.code === 3), 60_000);
    await scorer.stop();
  }, 180_000);
});
