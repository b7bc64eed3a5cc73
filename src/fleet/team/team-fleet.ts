import type { Admin, Kafka } from 'kafkajs';
import { systemClock, type Clock } from '../../core/clock.ts';
import { AgentdrillError } from '../../core/errors.ts';
import type { WatchedSeries } from '../../detect/series.ts';
import type { Progress } from '../../infra/provider.ts';
import { fleetAgentTemplates } from '../definition/agent-templates.ts';
import { resolveStateVerify, type DrillAddresses, type InstanceSlot } from '../definition/resolve.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import type { Launcher } from '../launcher.ts';
import { processLauncher } from '../process-launcher.ts';
import { Supervisor } from '../supervisor.ts';
import type { FleetTopology, SeriesReading, StartedFleet, StateCheck } from '../types.ts';
import { runStateVerify } from './state-verify.ts';
import { configureInstance } from './admin-config.ts';
import { buildTeamImages } from './images.ts';
import { standInTemplates, type StandInPorts } from './stand-ins.ts';
import { metricsTargets, teamMetricsScraper } from './team-metrics.ts';
import { teamTopology } from './topology.ts';
import { FleetTraffic } from './traffic.ts';
import { invalidCounters, invalidSeries, withInvalidSeries } from './invalid-counters.ts';
import { ownLeakHooks } from './own-leak.ts';

/** Host and port as an agent dials it. */
export interface Address {
  host: string;
  port: number;
}

export interface TeamFleetOptions {
  definition: FleetDefinition;
  prefix: string;
  /** Agent → replicas for this drill. */
  replicas: Record<string, number>;
  ratePerSec: number;
  /** Every load event's stamp starts with it: the drill id. */
  runTag: string;
  kafka: Kafka;
  bootstrap: string;
  /** The drill's admin client (topics, `health: { group: true }`). */
  admin: Admin;
  workDir: string;
  /** Puts a Toxiproxy proxy in front of a dependency; answers the address agents dial instead. */
  proxy: (dependency: string, upstream: Address) => Promise<Address>;
  env?: NodeJS.ProcessEnv;
  launcher?: Launcher;
  /** The provider's container launcher (docker, agents in containers): agents with an `image:` run on it, built first where they have `build:`. */
  containers?: Launcher;
  progress?: Progress;
  /** Ctrl-C: stop waiting for health checks (up to minutes each), stop what started, throw INTERRUPTED. */
  signal?: AbortSignal;
  /** The series the drill's rules name (`metric(...)`): read from the agents' `metrics:` endpoints. */
  watched?: readonly WatchedSeries[];
  /** Paces the metrics reads' waits. */
  clock?: Clock;
}

export interface TeamFleet extends StartedFleet {
  readonly kind: 'team';
  /** Dependency → the proxied address the agents were given. */
  readonly dependencies: Record<string, Address>;
  verifyState(agent: string): Promise<StateCheck[] | undefined>;
}

/**
 * A team's fleet file brought up for one drill, in dependency order: the drill's topics, the
 * stand-ins, a proxy in front of every dependency, the agents (given the proxies' addresses),
 * then the harness's end-of-pipeline reader and load. Anything that fails stops what started.
 */
export async function startTeamFleet(o: TeamFleetOptions): Promise<TeamFleet> {
  const { definition: fleet } = o;
  const topology = teamTopology(fleet, o.prefix);
  const progress = o.progress ?? (() => undefined);
  const processes = o.launcher ?? processLauncher();
  const launcher = o.containers ? byImage(o.containers, processes) : processes;
  const at: DrillAddresses = { prefix: o.prefix, bootstrap: o.bootstrap, deps: {}, env: o.env ?? process.env };
  const ports: StandInPorts = new Map();
  const slots = new Map<string, InstanceSlot>();
  // Stand-ins are the team's test doubles, run beside the harness whatever the provider.
  const standIns = new Supervisor({ launcher: processes, workDir: o.workDir, templates: standInTemplates(fleet, at, ports) });
  const templates = fleetAgentTemplates(fleet, at, { admin: () => o.admin, instancesOf: (agent) => agents.of(agent).length, runImages: o.containers !== undefined }, slots);
  const agents: Supervisor = new Supervisor({
    launcher,
    workDir: o.workDir,
    templates,
    // The slowest declared health check bounds every start (a JVM on a busy machine takes a while).
    healthTimeoutMs: Math.max(60_000, ...Object.values(fleet.agents).map((a) => a.health?.timeout ?? 0)),
  });
  const invalid = invalidSeries(fleet);
  const scraper = teamMetricsScraper({ watched: withInvalidSeries(o.watched ?? [], invalid), templates, instances: () => agents.instances(), clock: o.clock ?? systemClock, progress });
  // The sampler asks for the series and the counters at once: one read of the endpoints serves both.
  let reading: Promise<Record<string, SeriesReading>> | undefined;
  const readOnce = () => (reading ??= scraper!.read().finally(() => (reading = undefined)));
  let traffic: FleetTraffic | undefined;
  const stop = async () => {
    scraper?.close();
    await traffic?.close();
    await agents.stopAll();
    await standIns.stopAll();
  };
  const interrupted = new Promise<never>((_, reject) => {
    const fail = () => reject(new AgentdrillError('INTERRUPTED', 'drill interrupted while the fleet was starting', { hint: 'everything it started has been stopped' }));
    if (o.signal?.aborted) fail();
    else o.signal?.addEventListener('abort', fail, { once: true });
  });
  // Only ever raced below; a rejection nobody is racing any more must not crash the process.
  interrupted.catch(() => undefined);
  const orInterrupted = <T>(p: Promise<T>) => Promise.race([p, interrupted]);
  try {
    await o.admin.createTopics({
      waitForLeaders: true,
      topics: Object.entries(fleet.topics).map(([name, t]) => ({ topic: topology.topics[name]!, numPartitions: t.partitions, replicationFactor: 1 })),
    });
    const standInNames = Object.values(fleet.dependencies).filter((d) => d.command).map((d) => d.name);
    await orInterrupted(allOrThrow(standInNames.map((name) => standIns.add(name, 1))));
    for (const dep of Object.values(fleet.dependencies)) {
      const upstream = dep.upstream ? parseAddress(dep.upstream) : { host: '127.0.0.1', port: ports.get(dep.name)! };
      at.deps[dep.name] = await o.proxy(dep.name, upstream);
    }
    if (o.containers) await orInterrupted(buildTeamImages(fleet, at, progress));
    await orInterrupted(allOrThrow(Object.values(fleet.agents).map((a) => agents.add(a.name, o.replicas[a.name] ?? a.replicas))));
    progress(`fleet: ${fleet.name}: ${agents.instances().length} instances of ${Object.keys(fleet.agents).length} agents running`);
    traffic = await FleetTraffic.start({ kafka: o.kafka, bootstrap: o.bootstrap, fleet, topology, runTag: o.runTag, ratePerSec: o.ratePerSec });
  } catch (e) {
    await stop();
    throw e instanceof AgentdrillError ? e : new AgentdrillError('FLEET_FAILED', `fleet ${fleet.name} did not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const verifyState = async (agent: string): Promise<StateCheck[] | undefined> => {
    if (!fleet.agents[agent]?.state?.verify) return undefined;
    const running = agents.of(agent).filter((i) => i.running && slots.has(i.id));
    return Promise.all(running.map((i) => runStateVerify(i.id, resolveStateVerify(fleet, agent, slots.get(i.id)!, at)!)));
  };
  const withAdmin = Object.values(fleet.agents).filter((a) => a.admin).map((a) => a.name);
  const adminUrlOf = (id: string) => templates[agents.get(id).agent]?.adminUrl?.(id);
  const configure = (id: string, patch: Record<string, unknown>) => configureInstance(agents.get(id).agent, adminUrlOf(id), withAdmin, patch);
  const leakHooks = ownLeakHooks(fleet, (id) => ({ agent: agents.get(id).agent, adminUrl: adminUrlOf(id) }));
  return {
    ...startedTeamFleet(agents, standIns, topology, traffic, { ...at.deps }, stop),
    verifyState,
    ...(withAdmin.length > 0 ? { configure } : {}),
    ...(leakHooks ? { faultHooks: leakHooks } : {}),
    metricsTargets: () => metricsTargets(templates, agents.instances()),
    ...(scraper ? { series: readOnce } : {}),
    ...(scraper && invalid.length > 0 ? { counters: async () => invalidCounters(invalid, await readOnce()) } : {}),
  };
}

function startedTeamFleet(agents: Supervisor, standIns: Supervisor, topology: FleetTopology, traffic: FleetTraffic, dependencies: Record<string, Address>, stop: () => Promise<void>): Omit<TeamFleet, 'verifyState'> {
  return {
    kind: 'team',
    topology,
    dependencies,
    instances: () => agents.instances(),
    scale: (agent, replicas) => agents.scale(agent, replicas),
    stopInstance: (id) => agents.get(id).stop(),
    killInstance: (id, signal = 'SIGKILL') => agents.get(id).kill(signal),
    execInstance: (id, argv, timeoutMs) => agents.get(id).exec(argv, timeoutMs),
    restartInstance: (id, options) => agents.get(id).restart(options),
    // A team's own numbers are series of its /metrics endpoints (`series`), not these counters.
    counters: () => Promise.resolve({}),
    stopLoad: () => traffic.stopLoad(),
    integrity: () => traffic.integrity(30_000),
    // A stand-in's exit or restart is part of the drill's story too.
    onEvent: (listener) => {
      const offAgents = agents.onEvent(listener);
      const offStandIns = standIns.onEvent(listener);
      return () => {
        offAgents();
        offStandIns();
      };
    },
    stop,
  };
}

/** Containers for the instances that have an image, processes for the rest: one fleet may mix both. */
function byImage(containers: Launcher, processes: Launcher): Launcher {
  return {
    kind: `${containers.kind}+${processes.kind}`,
    allocatePort: () => containers.allocatePort(),
    launch: (request) => (request.image ? containers : processes).launch(request),
    exec: (request, running, argv, timeoutMs) => (request.image ? containers : processes).exec(request, running, argv, timeoutMs),
  };
}

/** Like Promise.all, but only after every start settled: a stop must not race one still being created. */
async function allOrThrow(starts: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function parseAddress(hostPort: string): Address {
  const colon = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(colon + 1)) };
}
