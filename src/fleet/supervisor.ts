import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import { ManagedInstance, type HealthProbe } from './instance.ts';
import type { Launcher, TeamImage } from './launcher.ts';
import { defaultRestartPolicy, type RestartMode, type RestartPolicy } from './restart-policy.ts';
import { parseScaleTarget } from './scale.ts';
import type { FleetEvent, InstanceInfo, InstanceStatePath } from './types.ts';

/** How to run one agent: its environment for a given instance, and whether it keeps a state file. */
export interface AgentTemplate {
  env: (instanceId: string, stateFile: string) => Record<string, string>;
  stateful: boolean;
  heapMb?: number;
  /**
   * The program for an instance (a fleet file's command or image), given its admin port (the
   * `${instance.port}` it may serve health or metrics on). Without it the launcher is given only
   * `env` (a test's fake launcher); a real launcher has nothing to run.
   */
  command?: (
    instanceId: string,
    port: number,
    stateDir: string,
    /** The heap limit this start runs with (`${instance.heapMb}`), when the agent has one. */
    heapMb?: number,
  ) => { argv: string[]; cwd: string; env: Record<string, string>; state?: InstanceStatePath; image?: TeamImage };
  /** Up when this answers true (default: GET /health on the admin port). */
  probe?: HealthProbe;
  /** Which exits are restarted (default `always`, as a container runtime's `restart: always`). */
  restart?: RestartMode;
  /** This agent's grace between SIGTERM and SIGKILL; default: the supervisor's. */
  stopGraceMs?: number;
}

export interface SupervisorOptions {
  launcher: Launcher;
  /** Logs go to `<workDir>/logs/<id>.log`, state files to `<workDir>/state/<id>.json`. */
  workDir: string;
  templates: Record<string, AgentTemplate>;
  healthTimeoutMs?: number;
  stopGraceMs?: number;
  policy?: RestartPolicy;
}

/**
 * Runs the fleet's instances: start (waiting for health), stop, kill, restart per each agent's
 * policy (see restart-policy.ts) and scale. Instance ids are `<agent>-<n>` with n never reused, and scaling
 * down stops the newest, as a ReplicaSet would. Scaled-down instances leave `instances()` but
 * stay known (`retired`), so their state files still count (the sink's integrity).
 */
export class Supervisor {
  private readonly active = new Map<string, ManagedInstance>();
  private readonly retiredInstances: ManagedInstance[] = [];
  private readonly ordinals = new Map<string, number>();
  private readonly listeners = new Set<(e: FleetEvent) => void>();
  private scaling: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: SupervisorOptions) {}

  onEvent(listener: (e: FleetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  instances(): InstanceInfo[] {
    return [...this.active.values()].map((i) => i.info());
  }

  of(agent: string): ManagedInstance[] {
    return [...this.active.values()].filter((i) => i.agent === agent);
  }

  /** Every instance this agent ever had, scaled-down ones included. */
  everyInstanceOf(agent: string): ManagedInstance[] {
    return [...this.retiredInstances.filter((i) => i.agent === agent), ...this.of(agent)];
  }

  get(id: string): ManagedInstance {
    const instance = this.active.get(id);
    if (!instance) {
      throw new AgentdrillError('USAGE', `no instance "${id}"`, { hint: `instances: ${[...this.active.keys()].join(', ')}` });
    }
    return instance;
  }

  /** Creates `count` new instances of `agent` and starts them in parallel. */
  async add(agent: string, count: number): Promise<ManagedInstance[]> {
    if (this.stopping) throw new AgentdrillError('FLEET_FAILED', 'the fleet is stopping');
    // Created one by one so ids and list order agree ("newest" is last); started in parallel.
    const created: ManagedInstance[] = [];
    for (let i = 0; i < count; i++) created.push(await this.create(agent));
    // A stopAll() that ran while these were being created did not see them: stop them here.
    if (this.stopping) {
      await Promise.all(created.map((i) => this.retire(i)));
      throw new AgentdrillError('FLEET_FAILED', 'the fleet is stopping');
    }
    const results = await Promise.allSettled(created.map((i) => i.start()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return created;
  }

  scale(agent: string, requested: number | string): Promise<InstanceInfo[]> {
    // One scale at a time: two overlapping "+1"s must end at +2, not race on the count.
    const run = this.scaling.then(() => this.scaleNow(agent, requested));
    this.scaling = run.catch(() => undefined);
    return run;
  }

  stopAll(): Promise<void> {
    this.stopping ??= Promise.all([...this.active.values()].map((i) => i.stop())).then(() => undefined);
    return this.stopping;
  }

  private async scaleNow(agent: string, requested: number | string): Promise<InstanceInfo[]> {
    const current = this.of(agent);
    const target = parseScaleTarget(requested, current.length);
    let added: string[] = [];
    let removed: string[] = [];
    if (target > current.length) {
      added = (await this.add(agent, target - current.length)).map((i) => i.id);
    } else if (target < current.length) {
      const newestFirst = current.slice(target).reverse();
      removed = newestFirst.map((i) => i.id);
      await Promise.all(newestFirst.map((i) => this.retire(i)));
    }
    this.emit({ type: 'fleet.scaled', agent, detail: { from: current.length, to: target, added, removed } });
    return this.of(agent).map((i) => i.info());
  }

  private async retire(instance: ManagedInstance): Promise<void> {
    await instance.stop();
    this.active.delete(instance.id);
    this.retiredInstances.push(instance);
  }

  private async create(agent: string): Promise<ManagedInstance> {
    const template = this.options.templates[agent];
    if (!template) throw new AgentdrillError('USAGE', `no agent "${agent}" in this fleet`, { hint: `agents: ${Object.keys(this.options.templates).join(', ')}` });
    const n = (this.ordinals.get(agent) ?? 0) + 1;
    this.ordinals.set(agent, n);
    const id = `${agent}-${n}`;
    const stateFile = path.join(this.options.workDir, 'state', `${id}.json`);
    await mkdir(path.dirname(stateFile), { recursive: true });
    const adminPort = await this.options.launcher.allocatePort();
    // A team's agent gets a state folder of its own, as a StatefulSet gives each replica a volume.
    const stateDir = path.join(this.options.workDir, 'state', id);
    if (template.command) await mkdir(stateDir, { recursive: true });
    const command = template.command?.(id, adminPort, stateDir, template.heapMb);
    const request = {
      instanceId: id,
      agent,
      env: command?.env ?? template.env(id, stateFile),
      ...(command?.image ? { image: command.image } : command ? { command: { argv: command.argv, cwd: command.cwd } } : {}),
      adminPort,
      heapMb: template.heapMb,
      logFile: path.join(this.options.workDir, 'logs', `${id}.log`),
    };
    const instance = new ManagedInstance(
      id,
      agent,
      request,
      {
        launcher: this.options.launcher,
        policy: this.options.policy ?? defaultRestartPolicy,
        restart: template.restart ?? 'always',
        healthTimeoutMs: this.options.healthTimeoutMs ?? 60_000,
        stopGraceMs: template.stopGraceMs ?? this.options.stopGraceMs ?? 8000,
        emit: (e) => this.emit(e),
        ...(template.probe ? { probe: template.probe } : {}),
        ...(command
          ? {
              refill: (heapMb: number) => {
                const again = template.command!(id, adminPort, stateDir, heapMb);
                return { env: again.env, ...(again.image ? { image: again.image } : { command: { argv: again.argv, cwd: again.cwd } }) };
              },
            }
          : {}),
      },
      command ? command.state : template.stateful ? { file: stateFile } : undefined,
    );
    this.active.set(id, instance);
    return instance;
  }

  private emit(event: FleetEvent): void {
    for (const listener of this.listeners) {
      // A journal or progress printer that throws must not break supervision.
      try {
        listener(event);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}
