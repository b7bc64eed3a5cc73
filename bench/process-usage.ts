import { readFileSync } from 'node:fs';

/** One process's own CPU (not its children's) and its RSS high-water mark, read from /proc. */
export interface ProcessUsage {
  cpuMs: number;
  maxRssMb: number;
}

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux build this runs on. */
const ticksPerSecond = 100;

/**
 * Reads /proc/<pid> now; undefined once the process has gone. The high-water mark (VmHWM) covers
 * the whole life so far, so the last reading before exit misses at most what the final poll
 * interval added.
 */
export function readProcessUsage(pid: number): ProcessUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which sits in parentheses and may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuMs: (ticks / ticksPerSecond) * 1000, maxRssMb: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch {
    return undefined;
  }
}
