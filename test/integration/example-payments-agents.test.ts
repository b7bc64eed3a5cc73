import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/core/ports.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
// @ts-expect-error the example's setup is plain JavaScript, as a team's would be
import { setupPaymentsExample } from '../../examples/payments/setup.mjs';
import { until } from '../helpers/wait.ts';

/**
 * The payments example's own programs — the Python scorer, the Java ledger, the fraud stand-in —
 * run as plain child processes on a real broker, without agentdrill's supervisor: what they
 * promise a fleet file (env contract, headers carried, at-least-once, state kept or refused, a
 * clean stop, no outliving the harness) is checked on the programs themselves.
 */
const example = path.resolve(import.meta.dirname, '../../examples/payments');
const tag = `${process.pid}-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-payments-agents-'));
const topics = { requests: `pay-agents-${tag}.requests`, scored: `pay-agents-${tag}.scored`, booked: `pay-agents-${tag}.booked`, idle: `pay-agents-${tag}.idle` };
const groups = { scorer: `pay-agents-${tag}-scorer`, ledger: `pay-agents-${tag}-ledger` };
const stampHeader = 'agentdrill-stamp';

interface Program {
  name: string;
  child: ChildProcess;
  logFile: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
}

const programs: Program[] = [];
let infra: StartedInfra | undefined;
let admin: Admin | undefined;
let booked: Consumer | undefined;
let fraudUrl = '';
const arrived = new Map<string, { count: number; key: string; header: string; value: Record<string, unknown> }>();

/** Detached (its own process group, as the supervisor runs agents); output to a log file. */
function start(name: string, argv: string[], env: Record<string, string>): Program {
  const logFile = path.join(work, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  // What the fleet runtime passes a team's command: the basics, our markers, its own settings.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => ['PATH', 'HOME', 'TMPDIR', 'LANG'].includes(k) || k.startsWith('AGENTDRILL_')));
  let child: ChildProcess;
  try {
    child = spawn(argv[0]!, argv.slice(1), { cwd: example, env: { ...base, PARENT_PID: String(process.pid), ...env }, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const program = { name, child, logFile, exit, log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '') };
  programs.push(program);
  return program;
}

function scorerEnv(id: string, stateFile: string, metricsPort: number, group = groups.scorer, from = topics.requests): Record<string, string> {
  return {
    KAFKA_BOOTSTRAP: infra!.kafka.bootstrapServers.join(','),
    IN_TOPIC: from,
    OUT_TOPIC: topics.scored,
    GROUP_ID: group,
    FRAUD_API_URL: fraudUrl,
    STATE_FILE: stateFile,
    INSTANCE_ID: id,
    METRICS_PORT: String(metricsPort),
  };
}

const ledgerEnv = (id: string, group = groups.ledger, from = topics.scored) => ({
  KAFKA_BOOTSTRAP: infra!.kafka.bootstrapServers.join(','),
  IN_TOPIC: from,
  OUT_TOPIC: topics.booked,
  GROUP_ID: group,
  INSTANCE_ID: id,
});

/** `until`, with the tail of every program's log in the failure: the reason is usually there. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number): Promise<T> {
  try {
    return await until(what, probe, timeoutMs);
  } catch (e) {
    const tails = programs.map((p) => `--- ${p.name} (${p.logFile}):\n${p.log().trim().split('\n').slice(-8).join('\n')}`).join('\n');
    throw new Error(`${(e as Error).message} within ${timeoutMs / 1000} s\n${tails}`, { cause: e });
  }
}

/** A value that is not JSON is kept as text, so the assertions say what arrived instead of the consumer stalling. */
function parsed(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsed: text };
  }
}

async function exited(p: Program, timeoutMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([p.exit, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]);
  clearTimeout(timer);
  if (!status) throw new Error(`${p.name} still running ${timeoutMs / 1000} s later; its log:\n${p.log().slice(-2000)}`);
  return status;
}

function signalGroup(p: Program, signal: NodeJS.Signals): void {
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    // already gone
  }
}

async function membersOf(group: string): Promise<number | undefined> {
  const [g] = (await admin!.describeGroups([group])).groups;
  return g?.state === 'Stable' ? g.members.length : undefined;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
  const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  if (value === undefined) throw new Error(`no ${name} in /metrics:\n${text}`);
  return Number(value);
}

const stampOf = (n: number) => `${tag}:${n}`;
const paymentOf = (n: number) => ({ payment_id: `p-${n}`, customer: `customer-${n % 20}`, amount: 10 + (n % 37) });

async function producePayments(from: number, count: number, extra: { value: string }[] = []): Promise<void> {
  const producer = new Kafka({ clientId: `pay-agents-load-${tag}`, brokers: infra!.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: count }, (_, i) => {
      const p = paymentOf(from + i);
      return { key: p.customer, value: JSON.stringify(p), headers: { [stampHeader]: stampOf(from + i) } };
    });
    await producer.send({ topic: topics.requests, messages: [...messages, ...extra.map((e) => ({ key: 'bad', value: e.value }))] });
  } finally {
    await producer.disconnect();
  }
}

function missingStamps(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => stampOf(from + i)).filter((s) => !arrived.has(s));
}

async function allBooked(from: number, count: number): Promise<void> {
  await waitFor(
    `stamps ${from}..${from + count - 1} on ${topics.booked}`,
    () => {
      const missing = missingStamps(from, count);
      if (missing.length > 0) throw new Error(`${missing.length} not there yet, e.g. ${missing.slice(0, 5).join(', ')}`);
      return true;
    },
    120_000,
  );
}

const scorers: { program: Program; stateFile: string; metricsPort: number; id: string }[] = [];
let ledger: Program;
let fraud: Program;

beforeAll(async () => {
  await setupPaymentsExample({ log: (m: string) => console.log(`[payments setup] ${m}`) });
  infra = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir: path.join(work, 'infra') });
  const brokers = infra.kafka.bootstrapServers;
  admin = new Kafka({ clientId: `pay-agents-admin-${tag}`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })) });

  const fraudPort = await freePort();
  fraudUrl = `http://127.0.0.1:${fraudPort}`;
  fraud = start('fraud-api', ['python3', 'stand-ins/fraud_api.py'], { FRAUD_API_PORT: String(fraudPort) });
  await waitFor('the fraud stand-in answering /health', async () => (await fetch(`${fraudUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok, 30_000);

  for (const i of [0, 1]) {
    const id = `scorer-${i}`;
    const stateFile = path.join(work, id, 'totals.json');
    const metricsPort = await freePort();
    scorers.push({ id, stateFile, metricsPort, program: start(id, ['.build/bin/scorer'], scorerEnv(id, stateFile, metricsPort)) });
  }
  ledger = start('ledger-0', ['.build/bin/ledger'], ledgerEnv('ledger-0'));
  await waitFor('2 scorers and 1 ledger in their groups', async () => (await membersOf(groups.scorer)) === 2 && (await membersOf(groups.ledger)) === 1, 90_000);

  booked = new Kafka({ clientId: `pay-agents-end-${tag}`, brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `pay-agents-${tag}-end`, maxWaitTimeInMs: 500 });
  await booked.connect();
  await booked.subscribe({ topic: topics.booked, fromBeginning: true });
  void booked.run({
    eachMessage: async ({ message }) => {
      const header = message.headers?.[stampHeader]?.toString() ?? '';
      const seen = arrived.get(header);
      if (seen) seen.count++;
      else arrived.set(header, { count: 1, key: message.key?.toString() ?? '', header, value: parsed(message.value?.toString() ?? '') });
    },
  });
}, 300_000);

afterAll(async () => {
  // Only the living: a pid that exited long ago may since name someone else's process group.
  for (const p of programs.filter((q) => q.child.exitCode === null && q.child.signalCode === null)) signalGroup(p, 'SIGKILL');
  await Promise.all(programs.map((p) => Promise.race([p.exit, new Promise((r) => setTimeout(r, 10_000))])));
  await booked?.disconnect().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await infra?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('the payments example programs (Python scorer, Java ledger, fraud stand-in) on a real broker', () => {
  it('books every stamped payment with its key and header, scored by the stand-in; a non-JSON record is counted and skipped', async () => {
    await producePayments(1, 100, [{ value: 'not json {' }]);
    await allBooked(1, 100);
    for (let n = 1; n <= 100; n++) {
      const got = arrived.get(stampOf(n))!;
      expect(got.count).toBeGreaterThanOrEqual(1);
      expect(got.key).toBe(paymentOf(n).customer);
      expect(got.value).toMatchObject({ ...paymentOf(n), booked: true });
      expect(got.value.risk).toBeTypeOf('number');
      expect(got.value.risk as number).toBeGreaterThanOrEqual(0);
      expect(got.value.risk as number).toBeLessThanOrEqual(1);
    }
    // The risk is the stand-in's own answer for that payment, asked by GET and by POST.
    const p = paymentOf(42);
    const query = new URLSearchParams({ customer: p.customer, amount: String(p.amount) });
    const byGet = (await (await fetch(`${fraudUrl}/score?${query}`)).json()) as { risk: number };
    const byPost = (await (await fetch(`${fraudUrl}/score`, { method: 'POST', body: JSON.stringify(p), headers: { 'content-type': 'application/json' } })).json()) as { risk: number };
    expect(arrived.get(stampOf(42))!.value.risk).toBe(byGet.risk);
    expect(byPost.risk).toBe(byGet.risk);

    const sum = async (name: string) => (await Promise.all(scorers.map((s) => metric(s.metricsPort, name)))).reduce((a, b) => a + b, 0);
    await waitFor('the non-JSON record counted', async () => (await sum('scorer_invalid_inputs_total')) >= 1, 30_000);
    expect(await sum('scorer_invalid_inputs_total')).toBe(1);
    expect(await sum('scorer_processed_total')).toBeGreaterThanOrEqual(100);
  });

  it('a SIGKILLed scorer, started again on the same state file, goes on from its totals', async () => {
    const totalsOf = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { totals: Record<string, number> }).totals;
    const victim = await waitFor(
      'a scorer with saved totals',
      () => scorers.find((s) => fs.existsSync(s.stateFile) && Object.keys(totalsOf(s.stateFile)).length > 0),
      30_000,
    );
    const before = totalsOf(victim.stateFile);
    signalGroup(victim.program, 'SIGKILL');
    expect((await exited(victim.program, 15_000)).signal).toBe('SIGKILL');
    expect(() => totalsOf(victim.stateFile), 'a kill must leave a whole state file').not.toThrow();

    victim.program = start(`${victim.id}-again`, ['.build/bin/scorer'], scorerEnv(victim.id, victim.stateFile, victim.metricsPort));
    await waitFor('the restarted scorer loading its totals', () => victim.program.log().includes(`${Object.keys(before).length} customer totals loaded`), 30_000);
    await waitFor('2 scorers in the group again', async () => (await membersOf(groups.scorer)) === 2, 90_000);
    await producePayments(101, 40);
    await allBooked(101, 40);

    // A clean stop writes what it holds: every total it loaded, plus what it scored since.
    signalGroup(victim.program, 'SIGTERM');
    expect(await exited(victim.program, 20_000)).toEqual({ code: 0, signal: null });
    const after = totalsOf(victim.stateFile);
    for (const [customer, total] of Object.entries(before)) expect(after[customer], customer).toBeGreaterThanOrEqual(total);
    expect(victim.program.log()).toContain('stopped');
  });

  it('a corrupt state file makes the scorer exit with code 3 and one line saying so; moved aside, it starts', async () => {
    const dir = path.join(work, 'scorer-corrupt');
    fs.mkdirSync(dir);
    const stateFile = path.join(dir, 'totals.json');
    const cases: [string, Buffer | string][] = [
      ['garbage bytes', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x74, 0x6f, 0x9c, 0x00])],
      ['the wrong shape', JSON.stringify({ totals: { 'customer-1': '12.5' } })],
    ];
    for (const [i, [what, content]] of cases.entries()) {
      fs.writeFileSync(stateFile, content);
      const p = start(`scorer-corrupt-${i}`, ['.build/bin/scorer'], scorerEnv(`scorer-corrupt-${i}`, stateFile, await freePort()));
      expect(await exited(p, 30_000), what).toEqual({ code: 3, signal: null });
      const lines = p.log().trim().split('\n');
      expect(lines, what).toHaveLength(1);
      expect(lines[0]).toContain(stateFile);
    }

    // The runbook's fix: move the file aside; the scorer then starts from empty totals.
    fs.renameSync(stateFile, `${stateFile}.corrupt`);
    const fixed = start('scorer-fixed', ['.build/bin/scorer'], scorerEnv('scorer-fixed', stateFile, await freePort()));
    await waitFor('the scorer starting once the file is moved aside', () => fixed.log().includes('0 customer totals loaded'), 30_000);
    signalGroup(fixed, 'SIGTERM');
    expect(await exited(fixed, 20_000)).toEqual({ code: 0, signal: null });
  });

  it('scorer and ledger leave by themselves when PARENT_PID is gone', async () => {
    const parent = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    const parentExit = new Promise((r) => parent.once('exit', r));
    const stateFile = path.join(work, 'scorer-orphan', 'totals.json');
    // On a topic of their own, in groups of their own: the pipeline under test is left alone.
    const orphans = [
      start('scorer-orphan', ['.build/bin/scorer'], { ...scorerEnv('scorer-orphan', stateFile, await freePort(), `pay-agents-${tag}-orphan-s`, topics.idle), PARENT_PID: String(parent.pid) }),
      start('ledger-orphan', ['.build/bin/ledger'], { ...ledgerEnv('ledger-orphan', `pay-agents-${tag}-orphan-l`, topics.idle), PARENT_PID: String(parent.pid) }),
    ];
    try {
      await waitFor('both orphans-to-be consuming', () => orphans.every((o) => o.log().includes('consuming')), 60_000);
    } finally {
      parent.kill('SIGKILL');
      await parentExit;
    }
    for (const o of orphans) {
      await exited(o, 30_000);
      expect(o.log()).toContain(`parent ${parent.pid} is gone`);
    }
  });

  it('SIGTERM stops the ledger, the last scorer and the stand-in cleanly', async () => {
    const last = scorers.find((s) => s.program.child.exitCode === null && s.program.child.signalCode === null)!;
    for (const p of [ledger, last.program, fraud]) signalGroup(p, 'SIGTERM');
    // The JVM reports a SIGTERM as 143 even when its shutdown hook closed everything.
    expect([0, 143]).toContain((await exited(ledger, 20_000)).code);
    expect(ledger.log()).toContain('stopped');
    expect(await exited(last.program, 20_000)).toEqual({ code: 0, signal: null });
    expect(await exited(fraud, 10_000)).toEqual({ code: 0, signal: null });
  });
});
