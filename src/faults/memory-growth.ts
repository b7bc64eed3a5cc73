import { statSync } from 'node:fs';
import { formatDuration } from '../core/duration.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { OomEvidence } from '../fleet/launcher.ts';
import type { FleetEvent } from '../fleet/types.ts';
import type { Fault, FaultAssessment, FaultContext, InjectedFault } from './fault.ts';
import { peakRssMb, rssAtRecoveryMb } from './memory-figures.ts';
import { oomCause, readLogSince, type OomCause } from './memory-oom.ts';
import { leakFor, type Leak } from './memory-leaks.ts';
import { formatMbPerSec } from './memory-rate.ts';

export interface MemoryGrowthFaultSpec {
  type: 'memory-growth';
  /** An agent whose memory the drill can grow: one with its own leak switch, or any agent in a container. */
  target: string;
  /** proactive: the runbook must act before the heap limit (an OOM fails the drill); reactive: the drill expects an OOM. */
  variant: 'proactive' | 'reactive';
  mbPerSec: number;
  /** The reference cache's TTL while it leaks; the runbook's fix is to shorten it. */
  cacheTtlMs: number;
}

interface Oom {
  at: number;
  instanceId: string;
  exitCode: number | null;
  signal: string | null;
  cause: OomCause;
}

/**
 * Resource exhaustion: every instance of the target grows `mbPerSec` (memory-leaks.ts: the
 * reference cache's real heap, or pressure in a team agent's container) until the V8 heap limit
 * aborts the process, or, for an agent in a container, the kernel's OOM killer ends it at the
 * container's memory limit.
 *
 * A leak is in the code, so a restart does not cure it: every (re)start of a target instance
 * while the fault is in force grows again (the reference's runtime config is not persisted, so a
 * TTL fix made before a restart is lost, as in production). Only a fix on the running process,
 * or a limit large enough to outlast the drill, stops the damage.
 */
export function memoryGrowthFault(spec: MemoryGrowthFaultSpec): Fault {
  let how = `grows ${formatMbPerSec(spec.mbPerSec)}`;
  return {
    type: 'memory-growth',
    describe: () => `${spec.target} ${how}, ${spec.variant}`,
    async inject(context: FaultContext): Promise<InjectedFault> {
      const { journal, clock, fleet } = context;
      const leak = leakFor(context, spec);
      how = leak.how;
      const targets = fleet.instances().filter((i) => i.agent === spec.target && i.state === 'running');
      if (targets.length === 0) {
        throw new AgentdrillError('FAULT_FAILED', `no running ${spec.target} instance to leak memory in`);
      }
      const armedAt = clock.now();
      // Times are reported from the journal's injection moment, the one TTD and TTR count from.
      const injectedAt = () => journal.ofType('fault.injected').at(-1)?.at ?? armedAt;
      let armed = true;
      const ooms: Oom[] = [];
      const logOffsets = new Map<string, number>();
      const pending = new Set<Promise<unknown>>();
      const track = (p: Promise<unknown>) => {
        const settled = p.catch(() => undefined).finally(() => pending.delete(settled));
        pending.add(settled);
      };
      const logFileOf = (id: string) => fleet.instances().find((i) => i.id === id)?.logFile;
      const markLogStart = (id: string) => logOffsets.set(id, logSize(logFileOf(id)));

      // The offset is taken when the exit is reported: a policy restart may move it before the read.
      const onExit = async (e: FleetEvent, at: number, logOffset: number) => {
        const id = e.instanceId!;
        const status = {
          code: (e.detail.code as number | null) ?? null,
          signal: (e.detail.signal as string | null) ?? null,
          ...(typeof e.detail.oomKilled === 'boolean' ? { oomKilled: e.detail.oomKilled } : {}),
        };
        const evidence = e.detail.oomEvidence as OomEvidence | undefined;
        const log = await readLogSince(logFileOf(id), logOffset);
        const cause = oomCause(status, log);
        if (!cause) return;
        ooms.push({ at, instanceId: id, exitCode: status.code, signal: status.signal, cause });
        const heapMb = fleet.instances().find((i) => i.id === id)?.heapMb ?? null;
        // oomKilled only where an engine reported it, so a local journal reads as before.
        const engine = status.oomKilled !== undefined ? { oomKilled: status.oomKilled, ...(evidence ? { oomEvidence: evidence } : {}) } : {};
        journal.record(
          'observation',
          { kind: 'oom', agent: spec.target, instanceId: id, detail: { exitCode: status.code, signal: status.signal, cause, ...engine, heapMb, atMs: at - injectedAt() } },
          at,
        );
      };
      const unsubscribe = fleet.onEvent((e) => {
        if (e.agent !== spec.target || !e.instanceId) return;
        if (e.type === 'instance.started' || e.type === 'instance.restarted') {
          markLogStart(e.instanceId);
          // The leak comes back with the code: re-arm whatever process now runs under this id.
          if (armed) track(armWhenUp(context, leak, e.instanceId, () => armed));
        } else if (e.type === 'instance.exited') {
          track(onExit(e, clock.now(), logOffsets.get(e.instanceId) ?? 0));
        }
      });

      for (const i of targets) markLogStart(i.id);
      const armedWith = await Promise.all(targets.map(async (i) => ({ instance: i.id, ...(await leak.arm(i.id)) })));
      return {
        detail: { target: spec.target, variant: spec.variant, instances: targets.map((i) => i.id), mbPerSec: spec.mbPerSec, how: leak.how, armed: armedWith, ...(leak.retains ? { cacheTtlMs: spec.cacheTtlMs } : {}) },
        async remove() {
          if (!armed) return;
          armed = false;
          const running = fleet.instances().filter((i) => i.agent === spec.target && i.state === 'running');
          await Promise.all(running.map((i) => leak.disarm(i.id).catch(() => undefined)));
        },
        async assess(): Promise<FaultAssessment> {
          await Promise.all([...pending]);
          unsubscribe();
          return assessment(spec, ooms, injectedAt(), journal.events);
        },
      };
    },
  };
}

function assessment(spec: MemoryGrowthFaultSpec, ooms: Oom[], injectedAt: number, events: Parameters<typeof peakRssMb>[0]): FaultAssessment {
  const first = ooms[0];
  const oomAtMs = first ? first.at - injectedAt : null;
  const failures: string[] = [];
  if (spec.variant === 'proactive' && first) {
    failures.push(`${spec.target} ran out of memory ${formatDuration(oomAtMs!)} after injection: the response came too late`);
  }
  if (spec.variant === 'reactive' && !first) {
    failures.push(`${spec.target} never ran out of memory: the reactive variant did not exercise its failure mode`);
  }
  return {
    figures: {
      variant: spec.variant,
      oom: first !== undefined,
      oomAtMs,
      oomCount: ooms.length,
      oomExitCode: first?.exitCode ?? null,
      oomSignal: first?.signal ?? null,
      oomCause: first?.cause ?? null,
      peakRssMb: peakRssMb(events, spec.target, injectedAt),
      rssAtRecoveryMb: rssAtRecoveryMb(events, spec.target, injectedAt),
      leakMbPerSec: spec.mbPerSec,
    },
    failures,
  };
}

/** Arms the leak once the instance is up again (bounded: ~20 s of retries). */
async function armWhenUp(context: FaultContext, leak: Leak, id: string, stillArmed: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 80 && stillArmed(); attempt++) {
    try {
      const detail = await leak.arm(id);
      if (detail) context.journal.record('observation', { kind: 'memory.rearmed', agent: context.fleet.instances().find((i) => i.id === id)?.agent ?? id, instanceId: id, detail });
      return;
    } catch {
      await context.clock.sleep(250);
    }
  }
}

function logSize(file: string | undefined): number {
  try {
    return file ? statSync(file).size : 0;
  } catch {
    return 0;
  }
}
