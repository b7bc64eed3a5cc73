import { AgentdrillError } from '../core/errors.ts';
import { httpProbe } from './health-probes.ts';
import { isEndingSignal } from './ending-signals.ts';
import type { ExitStatus, LaunchedInstance, Launcher, LaunchRequest } from './launcher.ts';
import { logTail } from './log-tail.ts';
import type { BoundedRun } from './run-bounded.ts';
import { backoffDelay, shouldRestart, type RestartMode, type RestartPolicy } from './restart-policy.ts';
import type { FleetEvent, InstanceInfo, InstanceState, InstanceStatePath, RestartOptions } from './types.ts';

/** Whether a started instance is up (GET /health, a port accepting, a group joined). */
export type HealthProbe = (instance: { id: string; adminUrl: string; pid: number | undefined }) => Promise<boolean>;

/** Without a declared health check: the instance's admin endpoint answers /health. */
const adminHealth: HealthProbe = (instance) => httpProbe(() => `${instance.adminUrl}/health`)(instance);

export interface InstanceDeps {
  launcher: Launcher;
  /** Backoff between restarts. */
  policy: RestartPolicy;
  /** Which exits are followed by a restart (the fleet file's `restart:`). */
  restart: RestartMode;
  healthTimeoutMs: number;
  /** SIGTERM, then SIGKILL after this long (the fleet file's `stopGrace:`). */
  stopGraceMs: number;
  emit: (event: FleetEvent) => void;
  /** Default: GET /health on the admin port. */
  probe?: HealthProbe;
  /** A fleet file's command (or container) filled again for another heap limit (`${instance.heapMb}`), for `restart --heap`. */
  refill?: (heapMb: number) => Pick<LaunchRequest, 'env' | 'command' | 'image'>;
}

/**
 * One supervised instance across its restarts. `wanted` is the desired state: an exit while
 * wanted is unexpected (restarted or left `exited`, per its restart mode), an exit after stop()
 * is expected and never restarted.
 */
export class ManagedInstance {
  private state: InstanceState = 'starting';
  private proc: LaunchedInstance | undefined;
  private wanted = false;
  private restarts = 0;
  private failures = 0;
  private startedAt = 0;
  private lastExit: InstanceInfo['lastExit'];
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly agent: string,
    private readonly request: LaunchRequest,
    private readonly deps: InstanceDeps,
    private readonly statePath: InstanceStatePath | undefined,
  ) {}

  info(): InstanceInfo {
    return {
      id: this.id,
      agent: this.agent,
      pid: this.proc?.pid,
      state: this.state,
      restarts: this.restarts,
      adminUrl: this.proc?.adminUrl ?? `http://127.0.0.1:${this.request.adminPort}`,
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      logFile: this.request.logFile,
      ...(this.statePath?.file ? { stateFile: this.statePath.file } : {}),
      ...(this.statePath?.dir ? { stateDir: this.statePath.dir } : {}),
      ...(this.request.heapMb ? { heapMb: this.request.heapMb } : {}),
      ...(this.proc?.container ? { container: this.proc.container } : {}),
    };
  }

  /** A short command where this instance runs (`ctl exec`); it works between restarts too where the launcher allows. */
  exec(argv: string[], timeoutMs: number): Promise<BoundedRun> {
    return this.deps.launcher.exec(this.request, this.proc, argv, timeoutMs);
  }

  get adminUrl(): string {
    return this.info().adminUrl;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Starts and waits for /health; an exit or a timeout first is FLEET_FAILED with the log tail. */
  async start(): Promise<void> {
    this.wanted = true;
    const proc = await this.spawn();
    this.deps.emit({ type: 'instance.started', instanceId: this.id, agent: this.agent, detail: { pid: proc.pid, ...containerDetail(proc) } });
    await this.waitHealthy(proc, this.deps.healthTimeoutMs);
  }

  async stop(): Promise<void> {
    // An instance its policy left down has nothing to stop; it only stops being wanted.
    const alreadyStopped = (this.state === 'stopped' || this.state === 'exited') && !this.proc;
    this.wanted = false;
    clearTimeout(this.restartTimer);
    const proc = this.proc;
    if (proc) {
      proc.signal('SIGTERM');
      const grace = setTimeout(() => proc.signal('SIGKILL'), this.deps.stopGraceMs);
      await proc.exited;
      clearTimeout(grace);
    }
    this.state = 'stopped';
    if (!alreadyStopped) this.deps.emit({ type: 'instance.stopped', instanceId: this.id, agent: this.agent, detail: {} });
  }

  /** Delivers any signal; a fatal one is followed by a restart per policy (like `docker kill`). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const proc = this.proc;
    if (!proc || !proc.signal(signal)) return;
    if (isEndingSignal(signal)) {
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, this.deps.stopGraceMs))]);
    }
  }

  /** Manual restart (the runbook's "restart"); a new heap or memory limit sticks for later restarts. */
  async restart(options: RestartOptions = {}): Promise<void> {
    await this.stop();
    if (options.heapMb !== undefined) {
      this.request.heapMb = options.heapMb;
      // A team's command passes the heap on itself (`${instance.heapMb}`): filled again with the new one,
      // and a container's memory limit that follows the heap follows it.
      const again = this.deps.refill?.(options.heapMb);
      if (again) {
        this.request.env = again.env;
        if (again.command) this.request.command = again.command;
        if (again.image) this.request.image = again.image;
      }
    }
    if (options.memoryMb !== undefined && this.request.image) this.request.image = { ...this.request.image, memoryMb: options.memoryMb };
    await this.start();
    this.deps.emit({ type: 'instance.restarted', instanceId: this.id, agent: this.agent, detail: { manual: true, pid: this.proc?.pid, ...containerDetail(this.proc) } });
  }

  private async spawn(): Promise<LaunchedInstance> {
    this.state = 'starting';
    const proc = await this.deps.launcher.launch(this.request);
    this.proc = proc;
    this.startedAt = Date.now();
    void proc.exited.then((status) => this.onExit(proc, status));
    // stop() may have come while the launcher was busy: nothing may outlive a stop.
    if (!this.wanted) proc.signal('SIGTERM');
    return proc;
  }

  private onExit(proc: LaunchedInstance, status: ExitStatus): void {
    if (proc !== this.proc) return;
    this.proc = undefined;
    this.lastExit = { code: status.code, signal: status.signal, at: Date.now(), ...(status.oomKilled !== undefined ? { oomKilled: status.oomKilled } : {}) };
    const restarting = shouldRestart(this.deps.restart, status, !this.wanted);
    const detail = {
      pid: proc.pid,
      ...containerDetail(proc),
      code: status.code,
      signal: status.signal,
      expected: !this.wanted,
      // The report and `ctl status` say why an instance stayed down: its policy, not a stall.
      restartPolicy: this.deps.restart,
      restarting,
      ...(status.error ? { error: status.error } : {}),
      ...(status.oomKilled !== undefined ? { oomKilled: status.oomKilled } : {}),
      ...(status.oomEvidence ? { oomEvidence: status.oomEvidence } : {}),
    };
    this.deps.emit({ type: 'instance.exited', instanceId: this.id, agent: this.agent, detail });
    if (!this.wanted) {
      this.state = 'stopped';
      return;
    }
    if (!restarting) {
      this.state = 'exited';
      return;
    }
    this.failures = Date.now() - this.startedAt >= this.deps.policy.resetAfterMs ? 0 : this.failures + 1;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delayMs = backoffDelay(this.deps.policy, Math.max(0, this.failures - 1));
    this.state = 'restarting';
    this.restartTimer = setTimeout(() => void this.restartNow(delayMs), delayMs);
  }

  private async restartNow(delayMs: number): Promise<void> {
    if (!this.wanted) return;
    let proc: LaunchedInstance;
    try {
      this.restarts++;
      proc = await this.spawn();
    } catch {
      // The launcher itself failed: back off and try again, as after a crash.
      this.failures++;
      if (this.wanted) this.scheduleRestart();
      return;
    }
    this.deps.emit({ type: 'instance.restarted', instanceId: this.id, agent: this.agent, detail: { pid: proc.pid, restarts: this.restarts, delayMs, ...containerDetail(proc) } });
    // No deadline here: a slow restart stays "starting" until healthy or until it exits again.
    await this.waitHealthy(proc, Infinity).catch(() => undefined);
  }

  private async waitHealthy(proc: LaunchedInstance, timeoutMs: number): Promise<void> {
    let exited: ExitStatus | undefined;
    void proc.exited.then((s) => (exited = s));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !exited && this.proc === proc) {
      const probe = this.deps.probe ?? adminHealth;
      const up = await probe({ id: this.id, adminUrl: proc.adminUrl, pid: proc.pid }).catch(() => false);
      if (up) {
        if (this.proc === proc) this.state = 'running';
        return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    if (this.proc !== proc && !exited) return;
    const why = exited ? `exited (code ${exited.code}, signal ${exited.signal}) before it was healthy` : `not healthy after ${timeoutMs} ms`;
    throw new AgentdrillError('FLEET_FAILED', `${this.id} ${why}`, {
      hint: `its log: ${this.request.logFile}\n${await logTail(this.request.logFile)}`,
      context: { instance: this.id, logFile: this.request.logFile },
    });
  }
}

/** The container behind an event (agents in containers): which one started or ended, and its memory limit. */
function containerDetail(proc: LaunchedInstance | undefined): Record<string, unknown> {
  const c = proc?.container;
  if (!c) return {};
  return { container: c.name, ...(c.memoryLimitMb !== undefined ? { memoryLimitMb: c.memoryLimitMb } : {}) };
}
