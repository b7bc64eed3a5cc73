import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentdrillError } from '../core/errors.ts';
import type { Admin } from 'kafkajs';
import type { InstanceInfo, StartedFleet } from '../fleet/types.ts';
import { resetGroupOffsets } from './reset-offsets.ts';
import { ctlByHeader, ctlOriginHeader } from './control-origin.ts';
import type { Sample } from '../observe/sample.ts';

/**
 * The running drill's operations endpoint. `agentdrill ctl` (run by runbook steps, or by a person
 * at a terminal during an interactive drill) talks to it, so a runbook acts on the live fleet
 * with the same commands on every provider.
 */
export interface ControlDeps {
  fleet: StartedFleet;
  admin: Admin;
  latestSample: () => { at: number; sample: Sample } | undefined;
  /** Evaluates a condition (rule grammar) against a sample. */
  evaluate: (rule: string, sample: Sample) => { holds: boolean; failing: string[] };
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export type Handler = (body: Record<string, unknown>, params: URLSearchParams) => Promise<unknown>;

/**
 * The operations by route ("POST /scale"): the HTTP server below serves them to `agentdrill ctl`,
 * and an agent responder's tools call the same handlers, so both act through one code path.
 */
export function controlRoutes(deps: ControlDeps): Record<string, Handler> {
  return {
    'GET /status': () => Promise.resolve(status(deps)),
    'GET /eval': (_b, params) => Promise.resolve(evaluate(deps, params.get('rule') ?? '')),
    'POST /scale': async (body) => ({ instances: await deps.fleet.scale(asScalable(deps.fleet, body.agent), String(body.replicas)) }),
    'POST /stop': (body) => onTargets(deps, body.target, (id) => deps.fleet.stopInstance(id)),
    'POST /kill': (body) => onTargets(deps, body.target, (id) => deps.fleet.killInstance(id, (body.signal as NodeJS.Signals) ?? 'SIGKILL')),
    'POST /restart': (body) =>
      onTargets(deps, body.target, (id) =>
        deps.fleet.restartInstance(id, {
          ...(typeof body.heapMb === 'number' ? { heapMb: body.heapMb } : {}),
          ...(typeof body.memoryMb === 'number' ? { memoryMb: body.memoryMb } : {}),
        }),
      ),
    'POST /exec': async (body) => {
      const { argv, timeoutMs } = execRequest(body);
      const runs = [];
      for (const id of targets(deps, body.target)) runs.push({ instanceId: id, ...(await deps.fleet.execInstance(id, argv, timeoutMs)) });
      return { runs };
    },
    'POST /config': (body) =>
      onTargets(deps, body.target, async (id) => {
        await configurable(deps.fleet)(id, (body.patch ?? {}) as Record<string, unknown>);
      }),
    'POST /reset-offsets': async (body) => {
      const groupId = groupOf(deps.fleet, body.agent);
      const topic = deps.fleet.topology.groupTopics[groupId]!;
      return resetGroupOffsets(deps.admin, groupId, topic, String(body.to ?? 'earliest'));
    },
  };
}

/** Sees each request from outside the drill's own steps before it runs (a human responder journals them). */
export type ControlIntercept = (request: { route: string; body: Record<string, unknown>; by: string | undefined }, run: () => Promise<unknown>) => Promise<unknown>;

export async function startControlServer(deps: ControlDeps, routes: Record<string, Handler> = controlRoutes(deps), intercept?: ControlIntercept): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const handler = routes[`${req.method} ${url.pathname}`];
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!handler) return reply(404, { error: { code: 'USAGE', message: `no route ${req.method} ${url.pathname}` } });
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    const fromStep = req.headers[ctlOriginHeader] === 'step';
    const by = typeof req.headers[ctlByHeader] === 'string' ? safeDecode(req.headers[ctlByHeader]).slice(0, 100) : undefined;
    req.on('end', () => {
      Promise.resolve()
        .then(() => {
          const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
          const run = () => handler(body, url.searchParams);
          return intercept && !fromStep ? intercept({ route: `${req.method} ${url.pathname}`, body, by }, run) : run();
        })
        .then((payload) => reply(200, payload))
        .catch((e: unknown) => {
          const err = e instanceof AgentdrillError ? e : undefined;
          reply(err ? 400 : 500, {
            error: { code: err?.code ?? 'INTERNAL', message: e instanceof Error ? e.message : String(e), hint: err?.hint },
          });
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Agents that consume in a group: the ones scaling changes anything for. */
function asScalable(fleet: StartedFleet, agent: unknown): string {
  const scalable = Object.values(fleet.topology.groupAgents);
  if (typeof agent === 'string' && scalable.includes(agent)) return agent;
  throw new AgentdrillError('USAGE', `cannot scale "${String(agent)}"`, { hint: `scalable agents: ${scalable.join(', ')}` });
}

/** The real group an agent consumes in (or a group named directly). */
function groupOf(fleet: StartedFleet, agent: unknown): string {
  const { groups, groupAgents } = fleet.topology;
  const logical = Object.keys(groupAgents).find((g) => groupAgents[g] === agent) ?? (typeof agent === 'string' && agent in groups ? agent : undefined);
  if (logical !== undefined) return groups[logical]!;
  throw new AgentdrillError('USAGE', `"${String(agent)}" consumes in no group of this drill`, { hint: `agents with a group: ${Object.values(groupAgents).join(', ')}` });
}

/** Runtime config needs the agents' own endpoint for it (the reference agents have one); a team's agent has none to patch. */
function configurable(fleet: StartedFleet): NonNullable<StartedFleet['configure']> {
  if (fleet.configure) return fleet.configure.bind(fleet);
  throw new AgentdrillError('USAGE', 'ctl config needs an agent with an admin endpoint, and this fleet declares none', {
    hint: 'change the agent through its own interface in a runbook step, or restart it (agentdrill ctl restart)',
  });
}

/** A target is an agent name (every instance of it) or one instance id. */
function targets(deps: ControlDeps, target: unknown): string[] {
  const all = deps.fleet.instances();
  const chosen = all.filter((i) => i.id === target || i.agent === target);
  if (chosen.length === 0) {
    throw new AgentdrillError('USAGE', `no agent or instance named "${String(target)}"`, {
      hint: `agents: ${[...new Set(all.map((i) => i.agent))].join(', ')}; instances: ${all.map((i) => i.id).join(', ')}`,
    });
  }
  return chosen.map((i) => i.id);
}

async function onTargets(deps: ControlDeps, target: unknown, act: (id: string) => Promise<void>): Promise<{ acted: string[] }> {
  const acted = targets(deps, target);
  for (const id of acted) await act(id);
  return { acted };
}

const maxExecMs = 10 * 60_000;

function execRequest(body: Record<string, unknown>): { argv: string[]; timeoutMs: number } {
  const { argv, timeoutMs } = body;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new AgentdrillError('USAGE', 'exec needs a command', { hint: "write it after --, e.g. agentdrill ctl exec scorer -- ls -l" });
  }
  const ms = typeof timeoutMs === 'number' && timeoutMs > 0 ? Math.min(timeoutMs, maxExecMs) : 60_000;
  return { argv: argv as string[], timeoutMs: ms };
}

function status(deps: ControlDeps): { instances: InstanceInfo[]; sample: { at: number; sample: Sample } | undefined } {
  return { instances: deps.fleet.instances(), sample: deps.latestSample() };
}

function evaluate(deps: ControlDeps, rule: string) {
  const latest = deps.latestSample();
  if (!latest) return { holds: false, failing: ['no sample yet'], at: undefined };
  return { ...deps.evaluate(rule, latest.sample), at: latest.at };
}

/** A header a client may have mangled: kept as sent rather than failing the call. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
