import { constants, type Stats } from 'node:fs';
import { access, lstat, readlink, realpath, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError, type Problem } from './errors.ts';

/** Somewhere a command will write: checked before anything starts, so a drill never runs for nothing. */
export interface OutputTarget {
  /** What it is, for the message: "--out", "--junit", "the default reports folder". */
  label: string;
  /** The flag that changes it, for the fix: "--out". */
  option: string;
  path: string;
  /** A folder the command creates files in, or one file it writes. */
  kind: 'folder' | 'file';
  /** The folder is read as well as written (`report --index`), so it must exist already. */
  mustExist?: boolean;
  /** The fix when a `mustExist` folder is missing. */
  missingHint?: string;
  /** The fix when something of the wrong kind is in the way (default: pass another path). */
  inTheWay?: string;
  /**
   * A file placed by `option`'s folder (history, index.html): not reported again when that
   * folder itself failed, and fixed by passing `option` another folder.
   */
  derived?: boolean;
}

/**
 * Every target's problems at once, as one OUTPUT_INVALID error (exit 2). A target (or, when it
 * does not exist yet, its nearest existing ancestor) must be a writable folder on a real
 * filesystem: kernel pseudo-filesystems (/proc, /sys, /dev) accept the calls and then spin or
 * fail mid-write, and an existing file, a FIFO or a dangling link in the way only fails after
 * the drill has run.
 */
export async function checkOutputs(targets: readonly OutputTarget[]): Promise<void> {
  const problems: Problem[] = [];
  const failed: OutputTarget[] = [];
  for (const t of targets) {
    // A file placed by a folder already reported would only repeat that folder's problem.
    const resolved = path.resolve(t.path);
    if (failed.some((f) => resolved.startsWith(`${path.resolve(f.path)}${path.sep}`) || (t.derived && f.option === t.option))) continue;
    const problem = await outputProblem(t);
    if (!problem) continue;
    problems.push(problem);
    failed.push(t);
  }
  if (problems.length === 0) return;
  const what = problems.length === 1 ? 'an output path is unusable' : `${problems.length} output paths are unusable`;
  throw new AgentdrillError('OUTPUT_INVALID', `${what}; nothing was started`, {
    hint: problems[0]!.hint,
    context: { paths: problems.map((p) => p.file) },
    problems,
  });
}

/** What is wrong with one target, or undefined when it can be written. */
export async function outputProblem(t: OutputTarget): Promise<Problem | undefined> {
  const target = path.resolve(t.path);
  const problem = (message: string, hint: string): Problem => ({ file: t.path, message: `${t.label} ${message}`, hint });
  const elsewhere = t.kind === 'folder' || t.derived ? `pass a folder on disk, e.g. ${t.option} ./reports` : `name a file on disk, e.g. ${t.option} ./junit.xml`;
  // Lexical first: nothing below should even be looked up inside procfs.
  const pseudo = pseudoRoot(target);
  if (pseudo) return problem(`is under ${pseudo}, a kernel pseudo-filesystem, not a folder on disk`, elsewhere);

  const found = await nearestExisting(target);
  if ('dangling' in found) {
    const to = await readlink(found.dangling).catch(() => '?');
    const which = found.dangling === target ? 'is' : `is under ${found.dangling}, which is`;
    return problem(`${which} a symbolic link to ${to}, which does not exist`, `create ${to}, or pass a path that is not a broken link`);
  }
  if ('error' in found) return problem(`cannot be looked up (${found.error})`, 'check the path and its permissions');
  const { at, info } = found;
  const real = await realpath(at).catch(() => at);
  const realPseudo = pseudoRoot(real) ?? (await pseudoFilesystem(real));
  if (realPseudo) return problem(`resolves to ${real}, on ${realPseudo}, a kernel pseudo-filesystem, not a folder on disk`, elsewhere);

  if (at === target) {
    const inTheWay = (what: string, fix: string) => problem(what, t.inTheWay ?? fix);
    if (t.kind === 'folder' && !info.isDirectory()) {
      return inTheWay(`exists and is ${describe(info)}, not a folder`, `pass a folder (it is created if missing), e.g. ${t.option} ${path.join(path.dirname(t.path), 'reports')}`);
    }
    if (t.kind === 'file' && info.isDirectory()) return inTheWay('is a folder, not a file', `name a file, e.g. ${t.option} ${path.join(t.path, 'junit.xml')}`);
    if (t.kind === 'file' && !info.isFile()) return inTheWay(`is ${describe(info)}, not a regular file`, `writing to it would block or go nowhere; name a regular file with ${t.option}`);
    return writable(real, info.isDirectory(), problem);
  }
  if (t.mustExist) return problem('does not exist', t.missingHint ?? 'pass an existing folder');
  if (!info.isDirectory()) return problem(`cannot be created: ${at} is ${describe(info)}, not a folder`, `pass ${t.option} a path under a folder`);
  return writable(real, true, problem);
}

type Found = { at: string; info: Stats } | { dangling: string } | { error: string };

/** The target itself or its closest ancestor that exists, following symbolic links. */
async function nearestExisting(target: string): Promise<Found> {
  for (let at = target; ; at = path.dirname(at)) {
    const link = await lstat(at).catch((e: NodeJS.ErrnoException) => e);
    if (link instanceof Error) {
      if ((link.code === 'ENOENT' || link.code === 'ENOTDIR') && at !== path.dirname(at)) continue;
      return { error: link.code ?? link.message };
    }
    if (!link.isSymbolicLink()) return { at, info: link };
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => e);
    if (!(info instanceof Error)) return { at, info };
    return info.code === 'ENOENT' ? { dangling: at } : { error: info.code ?? info.message };
  }
}

/** A folder needs write and search permission to create files in; a file, write permission. */
async function writable(real: string, folder: boolean, problem: (m: string, h: string) => Problem): Promise<Problem | undefined> {
  const error = await access(real, constants.W_OK | (folder ? constants.X_OK : 0)).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e.code ?? 'error',
  );
  if (error === undefined) return undefined;
  if (error === 'EROFS') return problem(`is on a read-only filesystem (${real})`, 'pass a path on a writable filesystem');
  return problem(`cannot be written (${error} on ${real})`, 'check the permissions, or pass a folder you can write to');
}

const pseudoRoots = ['/proc', '/sys', '/dev'];

function pseudoRoot(p: string): string | undefined {
  return pseudoRoots.find((root) => p === root || p.startsWith(`${root}/`));
}

// Filesystem magic numbers (linux/magic.h) of kernel pseudo-filesystems, for bind mounts elsewhere.
const pseudoMagic = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
]);

async function pseudoFilesystem(p: string): Promise<string | undefined> {
  const info = await statfs(p).catch(() => undefined);
  return info === undefined ? undefined : pseudoMagic.get(info.type);
}

function describe(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a folder';
}
