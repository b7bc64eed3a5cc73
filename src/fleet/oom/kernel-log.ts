import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

const kmsg = '/dev/kmsg';

/**
 * The kernel's own record of an OOM kill in a memory cgroup, from /dev/kmsg (one record per read;
 * non-blocking, so reading stops at the end of the ring buffer instead of waiting for new lines).
 * The kernel prints `oom-kill:...,oom_memcg=/docker/<id>,task_memcg=...,task=node,pid=<pid>,...`
 * for every kill, whichever cgroup driver and engine version; matching the container id and the
 * pid keeps another container's OOM, or an older one, out. Undefined when the log cannot be read
 * (not root, dmesg_restrict): a witness that could not look.
 */
export async function kernelLogSawOomKill(containerId: string, pid: number | undefined, maxRecords = 100_000): Promise<boolean | undefined> {
  let handle;
  try {
    handle = await open(kmsg, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(8192);
    for (let i = 0; i < maxRecords; i++) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // EAGAIN: the end of the buffer; EPIPE: records were overwritten while reading, go on.
        if (code === 'EPIPE') continue;
        return code === 'EAGAIN' ? false : undefined;
      }
      if (bytesRead === 0) return false;
      if (isOomKillOf(buffer.toString('utf8', 0, bytesRead), containerId, pid)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/** One kmsg record (`prio,seq,usec,flags;text`): an oom-kill line naming this cgroup and pid. */
export function isOomKillOf(record: string, containerId: string, pid: number | undefined): boolean {
  const text = record.slice(record.indexOf(';') + 1);
  if (!text.startsWith('oom-kill:')) return false;
  const fields = new Map(text.slice('oom-kill:'.length).trim().split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
  const memcg = fields.get('task_memcg') ?? fields.get('oom_memcg') ?? '';
  if (!memcg.includes(containerId)) return false;
  return pid === undefined || fields.get('pid') === String(pid);
}
