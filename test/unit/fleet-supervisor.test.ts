import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest } from '../../src/fleet/launcher.ts';
import { Supervisor, type AgentTemplate } from '../../src/fleet/supervisor.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';

/** A launcher whose "processes" are records; one HTTP server answers /health for all of them. */
class FakeLauncher implements Launcher {
  readonly kind = 'fake';
  readonly sick = new Set<string>();
  readonly live = new Map<number, { request: LaunchRequest; exit: (s: ExitStatus) => void }>();
  private nextPid = 1000;
  constructor(private readonly baseUrl: () => string) {}
  allocatePort = () => Promise.resolve(1);
  exec = () => Promise.resolve({ exitCode: 0, output: '', timedOut: false });
  launch(request: LaunchRequest): Promise<LaunchedInstance> {
    const pid = this.nextPid++;
    let exit!: (s: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => (exit = resolve));
    this.live.set(pid, { request, exit });
    void exited.then(() => this.live.delete(pid));
    return Promise.resolve({
      pid,
      adminUrl: `${this.baseUrl()}/${this.sick.has(request.instanceId) ? 'sick' : 'ok'}`,
      exited,
      signal: (signal) => {
        const entry = this.live.get(pid);
        // Like a process: TERM and KILL end it, other signals do not.
        if (entry && (signal === 'SIGTERM' || signal === 'SIGKILL')) entry.exit({ code: null, signal });
        return entry !== undefined;
      },
    });
  }
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-supervisor-'));
let server: http.Server;
let launcher: FakeLauncher;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(req.url?.startsWith('/ok') ? 200 : 503).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  launcher = new FakeLauncher(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(workDir, { recursive: true, force: true });
});

function supervisor(events: FleetEvent[] = []): Supervisor {
  const template: AgentTemplate = { stateful: false, env: (id) => ({ AGENT_ID: id }) };
  const templates = Object.fromEntries(['load', 'inventory', 'decision', 'fulfillment', 'sink', 'inventory-api'].map((a) => [a, template]));
  const s = new Supervisor({
    launcher,
    workDir,
    templates,
    healthTimeoutMs: 1500,
    stopGraceMs: 500,
    policy: { initialMs: 20, maxMs: 100, resetAfterMs: 10_000 },
  });
  s.onEvent((e) => events.push(e));
  return s;
}

const waitFor = async (check: () => boolean) => {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervisor', () => {
  it('starts nothing it was still creating when stopAll() ran (a failed bring-up leaves no instance behind)', async () => {
    const s = supervisor();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const before = launcher.live.size;
    launcher.allocatePort = () => held.then(() => 1);
    try {
      const adding = s.add('sink', 2);
      await s.stopAll();
      release();
      await expect(adding).rejects.toMatchObject({ code: 'FLEET_FAILED' });
      expect(launcher.live.size).toBe(before);
      expect(s.instances()).toEqual([]);
    } finally {
      launcher.allocatePort = () => Promise.resolve(1);
    }
  });

  it('scales with stable ids, stopping the newest first', async () => {
    const events: FleetEvent[] = [];
    const s = supervisor(events);
    await s.add('inventory', 1);
    expect((await s.scale('inventory', '+2')).map((i) => i.id)).toEqual(['inventory-1', 'inventory-2', 'inventory-3']);
    expect((await s.scale('inventory', '-2')).map((i) => i.id)).toEqual(['inventory-1']);
    expect((await s.scale('inventory', 2)).map((i) => i.id)).toEqual(['inventory-1', 'inventory-4']);
    expect(s.everyInstanceOf('inventory').map((i) => i.id).sort()).toEqual(['inventory-1', 'inventory-2', 'inventory-3', 'inventory-4']);
    expect(events.filter((e) => e.type === 'fleet.scaled').map((e) => e.detail.to)).toEqual([3, 1, 2]);
    await s.stopAll();
  });

  it('restarts after a kill with backoff, but not after a stop', async () => {
    const s = supervisor();
    const [instance] = await s.add('sink', 1);
    const firstPid = instance!.info().pid!;
    await instance!.kill('SIGKILL');
    await waitFor(() => instance!.info().state === 'running' && instance!.info().restarts === 1);
    expect(instance!.info().pid).not.toBe(firstPid);
    await instance!.kill('SIGKILL');
    await waitFor(() => instance!.info().restarts === 2 && instance!.info().state === 'running');
    await instance!.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(instance!.info()).toMatchObject({ state: 'stopped', restarts: 2, pid: undefined });
    await instance!.restart();
    expect(instance!.info().state).toBe('running');
    await s.stopAll();
    await s.stopAll();
    expect(launcher.live.size).toBe(0);
  });

  it('a non-fatal signal does not restart anything', async () => {
    const s = supervisor();
    const [instance] = await s.add('decision', 1);
    await instance!.kill('SIGUSR2');
    expect(instance!.info()).toMatchObject({ state: 'running', restarts: 0 });
    await s.stopAll();
  });

  it('an instance that never gets healthy is FLEET_FAILED naming its log', async () => {
    const s = supervisor();
    launcher.sick.add('fulfillment-1');
    const error = await s.add('fulfillment', 1).catch((e: unknown) => e);
    expect(isAgentdrillError(error) && error.code).toBe('FLEET_FAILED');
    expect(isAgentdrillError(error) && error.hint).toContain('fulfillment-1.log');
    await s.stopAll();
  });

  it('refuses unknown instances and bad scale arguments as usage errors', async () => {
    const s = supervisor();
    expect(() => s.get('nope-1')).toThrow(/no instance/);
    await expect(s.scale('inventory', 'lots')).rejects.toMatchObject({ code: 'USAGE' });
    await s.stopAll();
  });
});

describe('a command that passes its heap on (${instance.heapMb})', () => {
  it('starts with the agent\'s heap and, after restart --heap, runs the command filled with the new one', async () => {
    const template: AgentTemplate = {
      stateful: false,
      heapMb: 128,
      env: () => ({}),
      command: (id, _port, _stateDir, heapMb) => ({ argv: ['node', `--max-old-space-size=${heapMb}`, 'agent.js'], cwd: workDir, env: { AGENT_ID: id, HEAP: String(heapMb) } }),
    };
    const s = new Supervisor({ launcher, workDir, templates: { worker: template }, healthTimeoutMs: 1500, stopGraceMs: 500 });
    const [instance] = await s.add('worker', 1);
    const launched = () => [...launcher.live.values()].filter((l) => l.request.instanceId === instance!.id).at(-1)!.request;
    expect(launched().command!.argv[1]).toBe('--max-old-space-size=128');
    expect(instance!.info().heapMb).toBe(128);
    await instance!.restart({ heapMb: 512 });
    expect(launched().command!.argv[1]).toBe('--max-old-space-size=512');
    expect(launched().env.HEAP).toBe('512');
    expect(instance!.info().heapMb).toBe(512);
    await s.stopAll();
  });
});
