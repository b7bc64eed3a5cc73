import { execFile } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';

/**
 * The commit that last touched `file`, with "+dirty" appended when the file has uncommitted
 * changes, or undefined when the file is not tracked by git (or git is not installed). Called at
 * drill start and stored in `drill.started`, because reports must render from the journal alone:
 * by report time the runbook may have moved on.
 */
export async function gitRevisionOf(file: string): Promise<string | undefined> {
  const absolute = resolve(file);
  const dir = dirname(absolute);
  const name = basename(absolute);
  const hash = (await git(dir, ['log', '-1', '--format=%H', '--', name]))?.trim();
  // An untracked file has no commit: "the revision" would name a commit that never saw it.
  if (!hash || !/^[0-9a-f]{40,64}$/.test(hash)) return undefined;
  const status = await git(dir, ['status', '--porcelain', '--', name]);
  return status !== undefined && status.trim() !== '' ? `${hash}+dirty` : hash;
}

/** stdout of a git command, or undefined on any failure: a missing revision must never stop a drill. */
function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', ['-C', dir, ...args], { timeout: 5_000, windowsHide: true }, (error, stdout) => {
      done(error ? undefined : stdout);
    });
  });
}
