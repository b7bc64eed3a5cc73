import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { fleetAgentTemplates } from '../../src/fleet/definition/agent-templates.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { processLauncher } from '../../src/fleet/process-launcher.ts';
import { Supervisor } from '../../src/fleet/supervisor.ts';
import type { FleetEvent } from '../../src/fleet/types.ts';
import { until } from '../helpers/wait.ts';

/**
 * A team's agents that agentdrill did not write: Python programs, run from a fleet file's
 * commands with their `${...}` filled, checked up by the file's own health probes. No Kafka is
 * needed to show the runtime: the agents serve HTTP and TCP and write what they were given.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-fleet-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tcpAgent = `
import json, os, socket, sys, time
with open(os.path.join(os.environ["STATE_DIR"], "env.json"), "w") as f:
    json.dump({k: os.environ[k] for k in ("IN_TOPIC", "GROUP", "ME", "FRAUD")}, f)
if os.environ.get("FAIL_AT_START") == "yes":
    print("refusing to start: FAIL_AT_START", file=sys.stderr); sys.exit(3)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
deadline = time.time() + 300
while time.time() < deadline:
    s.settimeout(1)
    try: s.accept()[0].close()
    except socket.timeout: pass
`;

function fleetFile(extraEnv = ''): string {
  const file = path.join(dir, `fleet-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path.join(dir, 'tcp_agent.py'), tcpAgent);
  writeFileSync(
    file,
    `name: foreign
topics: { orders: { name: shop.orders } }
dependencies:
  fraud: { upstream: "10.1.2.3:8443" }
agents:
  web:
    command: { argv: [python3, -m, http.server, "\${instance.port}", --bind, 127.0.0.1] }
    replicas: 2
    health: { http: "http://127.0.0.1:\${instance.port}/" }
  counter:
    command:
      argv: [python3, tcp_agent.py, "\${instance.port}"]
      env: { STATE_DIR: "\${agent.stateDir}", IN_TOPIC: "\${topics.orders}", GROUP: "\${groups.counter}", ME: "\${instance.id}", FRAUD: "\${deps.fraud.url}"${extraEnv} }
    consumes: { topic: orders }
    health: { tcp: "127.0.0.1:\${instance.port}", timeout: 20s }
load: { topic: orders, rate: 1/s, value: { template: "{}" } }
`,
  );
  return file;
}

function start(file: string, events: FleetEvent[] = []) {
  const { fleet } = validateFleetText(readFileSync(file, 'utf8'), file);
  const at = { prefix: 'ad-cmd123-', bootstrap: '127.0.0.1:1', deps: { fraud: { host: '127.0.0.1', port: 24444 } }, env: {} };
  const workDir = mkdtempSync(path.join(dir, 'work-'));
  const supervisor: Supervisor = new Supervisor({
    launcher: processLauncher(),
    workDir,
    templates: fleetAgentTemplates(fleet, at, { admin: () => { throw new Error('no group health here'); }, instancesOf: (a) => supervisor.of(a).length }),
    healthTimeoutMs: 20_000,
    stopGraceMs: 3000,
  });
  supervisor.onEvent((e) => events.push(e));
  return { supervisor, workDir };
}

const alive = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};

describe('a fleet file’s own commands under the supervisor', () => {
  it('starts each instance with its own port and folder, its ${...} filled, up by its health probe; restarts a killed one; stops all', async () => {
    const events: FleetEvent[] = [];
    const { supervisor, workDir } = start(fleetFile(), events);
    try {
      const [web1, web2] = await supervisor.add('web', 2);
      const [counter] = await supervisor.add('counter', 1);
      const urls = [web1!, web2!].map((w) => w.info());
      expect(new Set(urls.map((u) => u.adminUrl)).size).toBe(2);
      for (const u of urls) expect((await fetch(`${u.adminUrl}/`)).status).toBe(200);
      expect(JSON.parse(readFileSync(path.join(workDir, 'state', 'counter-1', 'env.json'), 'utf8'))).toEqual({
        IN_TOPIC: 'ad-cmd123-shop.orders',
        GROUP: 'ad-cmd123-counter',
        ME: 'counter-1',
        FRAUD: 'http://127.0.0.1:24444',
      });
      expect(counter!.info().state).toBe('running');

      const firstPid = web1!.info().pid;
      await web1!.kill('SIGKILL');
      await until('web-1 restarted after SIGKILL', () => web1!.info().restarts === 1 && web1!.running, 20_000);
      expect(web1!.info().pid).not.toBe(firstPid);
      expect(events.some((e) => e.type === 'instance.exited' && e.instanceId === 'web-1' && e.detail.signal === 'SIGKILL')).toBe(true);

      const pids = supervisor.instances().map((i) => i.pid);
      await supervisor.stopAll();
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      await supervisor.stopAll();
    }
  });

  it('fails the start of an agent that exits before it is up, naming its log', async () => {
    const { supervisor } = start(fleetFile(', FAIL_AT_START: "yes"'));
    try {
      const failure = await supervisor.add('counter', 1).then(() => undefined, (e: unknown) => e);
      expect(failure).toBeInstanceOf(AgentdrillError);
      expect((failure as AgentdrillError).code).toBe('FLEET_FAILED');
      expect((failure as AgentdrillError).hint).toContain('refusing to start: FAIL_AT_START');
    } finally {
      await supervisor.stopAll();
    }
  });
});
