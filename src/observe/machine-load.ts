import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { MachineLoad } from '../core/events.ts';

/** Cumulative CPU times from /proc/stat's first line, in clock ticks. */
export interface CpuTimes {
  total: number;
  idle: number;
  steal: number;
}

export function readCpuTimes(statFile = '/proc/stat'): CpuTimes | undefined {
  try {
    const line = readFileSync(statFile, 'utf8').split('\n')[0] ?? '';
    if (!line.startsWith('cpu ')) return undefined;
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((n) => !Number.isFinite(n))) return undefined;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
    return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
  } catch {
    return undefined;
  }
}

/**
 * The machine's load now, with busy and steal shares over the span since `since` (a reading
 * taken when the phase began). A drill that could not judge names these figures, so "the baseline
 * never held" reads differently on an idle laptop and on a CI runner with other jobs on its cores.
 */
export function machineLoad(since: CpuTimes | undefined, now: CpuTimes | undefined = readCpuTimes()): MachineLoad {
  const [loadAvg1, loadAvg5] = os.loadavg() as [number, number, number];
  const span = since && now ? now.total - since.total : 0;
  const share = (part: number) => (span > 0 ? round1((100 * part) / span) : null);
  return {
    cpus: os.availableParallelism(),
    loadAvg1: round2(loadAvg1),
    loadAvg5: round2(loadAvg5),
    stealPct: since && now ? share(now.steal - since.steal) : null,
    busyPct: since && now ? share(span - (now.idle - since.idle)) : null,
  };
}

export function describeLoad(load: MachineLoad): string {
  const parts = [`load average ${load.loadAvg1} (1 min) on ${load.cpus} cores`];
  if (load.busyPct !== null) parts.push(`CPU ${load.busyPct}% busy`);
  if (load.stealPct !== null) parts.push(`steal ${load.stealPct}%`);
  return parts.join(', ');
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
