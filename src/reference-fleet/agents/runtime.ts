import type { AgentName } from '../types.ts';

/**
 * What every agent process shares: its configuration from the environment, JSON-line logging to
 * stderr, graceful shutdown on SIGTERM/SIGINT, and an exit when the harness that started it is
 * gone (a SIGKILLed harness must not leave agents behind).
 */
export interface AgentEnv {
  id: string;
  agent: AgentName;
  brokers: string[];
  topicIn: string;
  topicOut: string;
  groupId: string;
  adminPort: number;
  /** Where the admin endpoint listens: loopback for processes, 0.0.0.0 inside a container. */
  adminHost: string;
  inventoryApiUrl: string;
  concurrency: number;
  stateFile: string | undefined;
  parentPid: number | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): AgentEnv {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return env[name] !== undefined && env[name] !== '' && Number.isFinite(v) ? v : fallback;
  };
  return {
    id: env.AGENT_ID ?? env.AGENT_NAME ?? 'agent',
    agent: (env.AGENT_NAME ?? 'inventory') as AgentName,
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean),
    topicIn: env.TOPIC_IN ?? '',
    topicOut: env.TOPIC_OUT ?? '',
    groupId: env.GROUP_ID ?? '',
    adminPort: num('ADMIN_PORT', 0),
    adminHost: env.ADMIN_HOST || '127.0.0.1',
    inventoryApiUrl: env.INVENTORY_API_URL ?? '',
    concurrency: Math.max(1, num('CONCURRENCY', 8)),
    stateFile: env.STATE_FILE || undefined,
    parentPid: env.PARENT_PID ? Number(env.PARENT_PID) : undefined,
  };
}

type Level = 'debug' | 'info' | 'warn' | 'error';

export function logLine(id: string, level: Level, message: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, id, message, ...extra })}\n`);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const shutdownGraceMs = 5000;

export class AgentRuntime {
  healthy = false;
  processed = 0;
  invalid = 0;
  /** Runtime-tunable settings (POST /config merges into this). */
  readonly config: Record<string, unknown>;
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    readonly env: AgentEnv,
    initialConfig: Record<string, unknown> = {},
  ) {
    this.config = { ...initialConfig };
  }

  log(level: Level, message: string, extra?: Record<string, unknown>): void {
    logLine(this.env.id, level, message, extra);
  }

  /** Cleanups run newest-first on shutdown (stop consuming before closing the producer). */
  onShutdown(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  installSignalHandlers(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void this.shutdown(signal, 0));
    process.on('unhandledRejection', (e) => {
      this.log('error', 'unhandled rejection', { error: errorText(e) });
      void this.shutdown('unhandledRejection', 1);
    });
    const parent = this.env.parentPid;
    if (parent) {
      const timer = setInterval(() => {
        if (!isAlive(parent) || process.ppid !== parent) void this.shutdown('parent gone', 0);
      }, 1000);
      timer.unref();
    }
  }

  shutdown(reason: string, code: number): Promise<void> {
    this.stopping ??= this.runShutdown(reason, code);
    return this.stopping;
  }

  private async runShutdown(reason: string, code: number): Promise<void> {
    this.log('info', 'shutting down', { reason });
    this.healthy = false;
    // Whatever hangs (a broker gone, an API never answering) must not keep the process alive.
    setTimeout(() => process.exit(code), shutdownGraceMs).unref();
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        this.log('warn', 'cleanup failed', { error: errorText(e) });
      }
    }
    process.exit(code);
  }

  /** Exits non-zero (so the supervisor restarts it) when startup fails. */
  fail(message: string, e: unknown): never {
    this.log('error', message, { error: errorText(e) });
    process.exit(1);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
