import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetAgentTemplates } from '../../src/fleet/definition/agent-templates.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { processLauncher } from '../../src/fleet/process-launcher.ts';
import { shouldRestart, type RestartMode } from '../../src/fleet/restart-policy.ts';
import { Supervisor, type AgentTemplate } from '../../src/fleet/supervisor.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';

/**
 * Restart policies and stop grace on real, short-lived child processes (sh), under the same
 * launcher a team's programs run under: exit codes and signals are the kernel's, not a fake's.
 */
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-restart-'));
const supervisors: Supervisor[] = [];
afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.stopAll()));
  fs.rmSync(workDir, { recursive: true, force: true });
});

/**
 * One agent per entry: a shell script, its restart mode and, optionally, its stop grace. A script
 * that says `ready` is up once it has written the file in $READY (after its trap is set, say).
 */
function supervisor(agents: Record<string, { script: string; restart?: RestartMode; stopGraceMs?: number; ready?: boolean }>, events: FleetEvent[] = []): Supervisor {
  const templates = Object.fromEntries(
    Object.entries(agents).map(([name, a]): [string, AgentTemplate] => [
      name,
      {
        stateful: false,
        env: () => ({}),
        command: (id) => ({ argv: ['sh', '-c', a.script], cwd: workDir, env: { READY: path.join(workDir, `${id}.ready`) } }),
        // Otherwise up once started: these programs serve nothing.
        probe: ({ id }) => Promise.resolve(!a.ready || fs.existsSync(path.join(workDir, `${id}.ready`))),
        ...(a.restart ? { restart: a.restart } : {}),
        ...(a.stopGraceMs !== undefined ? { stopGraceMs: a.stopGraceMs } : {}),
      },
    ]),
  );
  const s = new Supervisor({ launcher: processLauncher(), workDir, templates, healthTimeoutMs: 5000, stopGraceMs: 8000, policy: { initialMs: 50, maxMs: 200, resetAfterMs: 10_000 } });
  s.onEvent((e) => events.push(e));
  supervisors.push(s);
  return s;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const exits = (events: FleetEvent[], id: string) => events.filter((e) => e.type === 'instance.exited' && e.instanceId === id).map((e) => e.detail);

describe('restart decision', () => {
  const clean = { code: 0, signal: null };
  const crashed = { code: 3, signal: null };
  const killed = { code: null, signal: 'SIGKILL' };
  const unstartable = { code: null, signal: null, error: 'spawn ENOENT' };

  it('follows the container runtimes: always restarts, on-failure only after a failure, never never', () => {
    const table = (['always', 'on-failure', 'never'] as const).map((mode) => [mode, [clean, crashed, killed, unstartable].map((s) => shouldRestart(mode, s, false))]);
    expect(table).toEqual([
      ['always', [true, true, true, true]],
      ['on-failure', [false, true, true, true]],
      ['never', [false, false, false, false]],
    ]);
  });

  it('never restarts what the supervisor itself stopped, whichever signal ended it', () => {
    for (const mode of ['always', 'on-failure', 'never'] as const) {
      expect(shouldRestart(mode, { code: null, signal: 'SIGTERM' }, true)).toBe(false);
      expect(shouldRestart(mode, { code: null, signal: 'SIGKILL' }, true)).toBe(false);
    }
  });
});

describe('the supervisor honours each agent’s restart policy', () => {
  it('on-failure: a clean exit stays down, a non-zero exit is restarted', async () => {
    const events: FleetEvent[] = [];
    const s = supervisor({ done: { script: 'sleep 0.3; exit 0', restart: 'on-failure' }, crash: { script: 'sleep 0.3; exit 3', restart: 'on-failure' } }, events);
    const [done] = await s.add('done', 1);
    const [crash] = await s.add('crash', 1);
    await waitFor(() => crash!.info().restarts >= 1, 'the crashed instance to restart');
    await waitFor(() => done!.info().state === 'exited', 'the finished instance to be left exited');
    // Long enough for a restart after the 50 ms backoff to have happened, had one been due.
    await new Promise((r) => setTimeout(r, 400));
    expect(done!.info()).toMatchObject({ state: 'exited', restarts: 0, pid: undefined, lastExit: { code: 0, signal: null } });
    expect(exits(events, 'done-1')).toEqual([expect.objectContaining({ code: 0, restartPolicy: 'on-failure', restarting: false, expected: false })]);
    expect(exits(events, 'crash-1')[0]).toMatchObject({ code: 3, restartPolicy: 'on-failure', restarting: true });
  });

  it('on-failure: a SIGKILL from outside (a fault, ctl kill) is a failure and is restarted', async () => {
    const s = supervisor({ worker: { script: 'sleep 30', restart: 'on-failure' } });
    const [worker] = await s.add('worker', 1);
    const firstPid = worker!.info().pid;
    await worker!.kill('SIGKILL');
    await waitFor(() => worker!.info().restarts === 1 && worker!.info().state === 'running', 'the killed instance to restart');
    expect(worker!.info().pid).not.toBe(firstPid);
  });

  it('never: a killed instance stays down until a manual restart', async () => {
    const events: FleetEvent[] = [];
    const s = supervisor({ worker: { script: 'sleep 30', restart: 'never' } }, events);
    const [worker] = await s.add('worker', 1);
    await worker!.kill('SIGKILL');
    await waitFor(() => worker!.info().state === 'exited', 'the killed instance to be left exited');
    await new Promise((r) => setTimeout(r, 400));
    expect(worker!.info()).toMatchObject({ state: 'exited', restarts: 0, pid: undefined, lastExit: { signal: 'SIGKILL' } });
    expect(exits(events, 'worker-1')).toEqual([expect.objectContaining({ signal: 'SIGKILL', restartPolicy: 'never', restarting: false })]);
    // The runbook's "restart" still works on it.
    await worker!.restart();
    expect(worker!.info()).toMatchObject({ state: 'running' });
    expect(worker!.info().pid).toBeGreaterThan(0);
  });

  it('always: even a clean exit is restarted', async () => {
    const s = supervisor({ job: { script: 'sleep 0.3; exit 0', restart: 'always' } });
    const [job] = await s.add('job', 1);
    await waitFor(() => job!.info().restarts >= 1, 'the finished instance to restart');
  });
});

describe('the supervisor honours each agent’s stop grace', () => {
  it('sends SIGKILL after the agent’s own grace, not the supervisor’s default (8 s here)', async () => {
    // Both ignore SIGTERM, as a program busy flushing or simply deaf to it would.
    const events: FleetEvent[] = [];
    const deaf = 'trap "" TERM; : > "$READY"; sleep 30';
    const s = supervisor({ quick: { script: deaf, stopGraceMs: 200, ready: true }, patient: { script: deaf, stopGraceMs: 1500, ready: true } }, events);
    const [quick] = await s.add('quick', 1);
    const [patient] = await s.add('patient', 1);
    const timed = async (stop: () => Promise<void>) => {
      const started = Date.now();
      await stop();
      return Date.now() - started;
    };
    const [quickMs, patientMs] = await Promise.all([timed(() => quick!.stop()), timed(() => patient!.stop())]);
    expect(quickMs).toBeGreaterThanOrEqual(180);
    expect(quickMs).toBeLessThan(1400);
    expect(patientMs, JSON.stringify(events)).toBeGreaterThanOrEqual(1450);
    expect(patientMs).toBeLessThan(7000);
    // Killed, since neither left on SIGTERM, and neither restarted: the supervisor asked for it.
    for (const id of ['quick-1', 'patient-1']) expect(exits(events, id)).toEqual([expect.objectContaining({ signal: 'SIGKILL', expected: true, restarting: false })]);
  });
});

describe('a fleet file’s restart and stopGrace reach the supervisor', () => {
  it('per agent, with the defaults where the file says nothing', () => {
    const example = fs.readFileSync('examples/payments/fleet.yaml', 'utf8');
    expect(example).toContain('    replicas: 2\n');
    const text = example.replace('    replicas: 2\n', '    replicas: 2\n    restart: on-failure\n    stopGrace: 2s\n');
    const { fleet } = validateFleetText(text, path.join(os.tmpdir(), 'agentdrill-unbuilt-example', 'fleet.yaml'));
    const templates = fleetAgentTemplates(fleet, { prefix: 'ad-000000-', bootstrap: '127.0.0.1:9092', deps: {}, env: {} }, { admin: () => undefined as never, instancesOf: () => 1 });
    expect(templates.scorer).toMatchObject({ restart: 'on-failure', stopGraceMs: 2000 });
    expect(templates.ledger).toMatchObject({ restart: 'always', stopGraceMs: 8000 });
  });
});
