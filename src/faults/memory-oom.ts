import { open } from 'node:fs/promises';

/** V8's last words when the old generation is full (see --max-old-space-size). */
export const heapOomLine = /heap out of memory|Reached heap limit/i;

export interface ExitStatusLike {
  code: number | null;
  signal: string | null;
  /** The container engine's word that the kernel's OOM killer ended it (Docker's State.OOMKilled). */
  oomKilled?: boolean;
}

/** Which limit ended the instance: V8's heap limit (local processes) or the container's memory limit. */
export type OomCause = 'heap-limit' | 'kernel-oom-killer';

/**
 * Whether an instance's exit was a heap OOM rather than a kill. V8 prints "FATAL ERROR: Reached
 * heap limit Allocation failed - JavaScript heap out of memory" and calls abort(), so the process
 * dies of SIGABRT (exit status 134 where a shell reports it). Both must agree: a SIGABRT sent by
 * hand leaves no such line, and a later SIGKILL after an old OOM line is not an OOM either, which
 * is why the log is read only from where this run of the instance started.
 */
export function isHeapOom(status: ExitStatusLike, logSinceStart: string): boolean {
  const aborted = status.signal === 'SIGABRT' || status.code === 134;
  return aborted && heapOomLine.test(logSinceStart);
}

/**
 * The OOM's cause, or undefined for any other exit. In a container the memory limit sits below
 * V8's heap limit (container-launcher.ts), so a leak ends in the kernel's OOM kill: a SIGKILL
 * (137) with no last words in the log. A SIGKILL looks the same whoever sends it (a fault,
 * `kill -9`), so it counts only when the engine says OOMKilled; that flag is the evidence here,
 * as the V8 line is for an abort.
 */
export function oomCause(status: ExitStatusLike, logSinceStart: string): OomCause | undefined {
  if (status.oomKilled === true) return 'kernel-oom-killer';
  return isHeapOom(status, logSinceStart) ? 'heap-limit' : undefined;
}

/** The log written since `offset` (at most the last `maxBytes` of it); '' when unreadable. */
export async function readLogSince(file: string | undefined, offset: number, maxBytes = 64 * 1024): Promise<string> {
  if (!file) return '';
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(offset, size - maxBytes, 0);
      if (size <= start) return '';
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
