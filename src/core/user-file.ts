import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { AgentdrillError, type ErrorCode } from './errors.ts';

/**
 * The one way a file a user names (scenario, runbook, journal, history, suite member) is read.
 * A FIFO or a device would block or stream forever, so only regular files are opened; a size cap
 * is checked before reading, and reading stops at the cap even when stat lied (procfs says 0).
 */
export interface UserFileOptions {
  /** What the file is, for the message: "scenario", "runbook", "journal". */
  kind: string;
  /** Largest accepted size in bytes. */
  maxBytes: number;
  /** The error code for "cannot be read / not a file" (e.g. SCENARIO_NOT_FOUND). */
  code?: ErrorCode;
  hint?: string;
}

/** Why a read was refused, in the error's `context.reason`, for callers that word their own hint. */
export type UserFileRefusal = 'missing' | 'denied' | 'folder' | 'not-a-file' | 'too-large' | 'unreadable';

export async function readUserFile(file: string, options: UserFileOptions): Promise<string> {
  return (await readUserBytes(file, options)).toString('utf8');
}

/** As readUserFile, the bytes as they are on disk (for checksums). */
export async function readUserBytes(file: string, options: UserFileOptions): Promise<Buffer> {
  const refuse = refusal(file, options);
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw statFailure(refuse, e);
  });
  checkInfo(info, refuse, options);
  // O_NONBLOCK: if the path was swapped for a FIFO after stat, open must not wait for a writer.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
    throw refuse('unreadable', `cannot be read (${e.code ?? 'error'})`);
  });
  try {
    const again = await handle.stat();
    if (!again.isFile()) throw refuse('not-a-file', 'is not a regular file');
    const buffer = Buffer.alloc(bufferSize(again, options));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return capped(buffer, length, refuse, options);
  } finally {
    await handle.close();
  }
}

/** For the few readers that must stay synchronous (a scenario's check of its runbook). */
export function readUserFileSync(file: string, options: UserFileOptions): string {
  const refuse = refusal(file, options);
  let info: Stats;
  try {
    info = statSync(file);
  } catch (e) {
    throw statFailure(refuse, e as NodeJS.ErrnoException);
  }
  checkInfo(info, refuse, options);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw refuse('unreadable', `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const again = fstatSync(fd);
    if (!again.isFile()) throw refuse('not-a-file', 'is not a regular file');
    const buffer = Buffer.alloc(bufferSize(again, options));
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return capped(buffer, length, refuse, options).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

type Refuse = (reason: UserFileRefusal, why: string, hint?: string) => AgentdrillError;

function refusal(file: string, options: UserFileOptions): Refuse {
  const code = options.code ?? 'INPUT_UNREADABLE';
  return (reason, why, hint = options.hint) =>
    new AgentdrillError(code, `${options.kind} ${file} ${why}`, { hint, context: { file, reason } });
}

function statFailure(refuse: Refuse, e: NodeJS.ErrnoException): AgentdrillError {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return refuse('missing', 'does not exist');
  if (e.code === 'EACCES') return refuse('denied', 'cannot be read (permission denied)', 'check the file permissions');
  return refuse('unreadable', `cannot be read (${e.code ?? 'error'})`);
}

function checkInfo(info: Stats, refuse: Refuse, options: UserFileOptions): void {
  if (info.isDirectory()) throw refuse('folder', 'is a folder, not a file');
  if (!info.isFile()) throw refuse('not-a-file', `is not a regular file (${fileKind(info)})`, `pass a regular ${options.kind} file; pipes and devices are not read`);
  if (info.size > options.maxBytes) {
    throw refuse(
      'too-large',
      `is ${formatBytes(info.size)}, over the ${formatBytes(options.maxBytes)} limit for a ${options.kind}`,
      `a ${options.kind} larger than ${formatBytes(options.maxBytes)} is not accepted; split or trim it`,
    );
  }
}

/** Sized by stat (at least 64 KiB: procfs says 0), never more than one byte past the cap: that byte tells a file over it. */
function bufferSize(info: Stats, options: UserFileOptions): number {
  return Math.min(options.maxBytes + 1, Math.max(info.size, 64 * 1024));
}

function capped(buffer: Buffer, length: number, refuse: Refuse, options: UserFileOptions): Buffer {
  if (length > options.maxBytes) throw refuse('too-large', `is over the ${formatBytes(options.maxBytes)} limit for a ${options.kind}`);
  return buffer.subarray(0, length);
}

function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} B`;
}

/**
 * Size caps, one place: what a person writes by hand, and what a 6-hour drill writes. The
 * scenario's and the runbook's are also parse-time budgets (docs/runbook-format.md, "Limits").
 */
export const fileLimits = {
  /** yaml checks each key against its siblings: a 200 KB file of keys takes seconds to read. */
  scenario: 64 * 1024,
  /** A fleet of 32 agents with their env fits in a fraction of this; same reason as scenarios. */
  fleet: 64 * 1024,
  runbook: 96 * 1024,
  /**
   * 6 h at 4 Hz is 86 400 samples (74 MiB for the reference fleet). Reading takes about 6× the
   * file in memory, and V8's longest string is just under 512 MiB: 256 MiB stays well clear.
   */
  journal: 256 * 1024 * 1024,
  history: 64 * 1024 * 1024,
} as const;
