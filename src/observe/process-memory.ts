import { readFileSync } from 'node:fs';

/**
 * Resident set size of a local process from /proc; undefined when it is gone. Read synchronously:
 * procfs answers from memory in microseconds, and the async read cost four thread-pool round
 * trips (open, fstat, read, close) per instance, every sample.
 */
export function rssOfPid(pid: number): Promise<number | undefined> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return Promise.resolve(match ? Number(match[1]) * 1024 : undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}
