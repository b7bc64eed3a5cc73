import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { checkOutputs, outputProblem, type OutputTarget } from '../../src/core/output-path.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-output-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const folder = (path: string, more: Partial<OutputTarget> = {}): OutputTarget => ({ label: '--out', option: '--out', path, kind: 'folder', ...more });
const file = (path: string, more: Partial<OutputTarget> = {}): OutputTarget => ({ label: '--junit', option: '--junit', path, kind: 'file', ...more });

describe('output paths', () => {
  it('accepts an existing folder, a folder still to be made under one, and a new or existing file', async () => {
    await writeFile(join(dir, 'old.xml'), '');
    for (const t of [folder(dir), folder(join(dir, 'a', 'b', 'c')), file(join(dir, 'junit.xml')), file(join(dir, 'old.xml')), file(join(dir, 'new', 'junit.xml'))]) {
      expect(await outputProblem(t)).toBeUndefined();
    }
    await expect(checkOutputs([folder(dir), file(join(dir, 'junit.xml'))])).resolves.toBeUndefined();
  });

  it.each(['/proc/agentdrill-out', '/proc/self/fd/x/y', '/sys/kernel/agentdrill', '/dev/agentdrill', '/dev/shm/agentdrill'])('refuses %s, on a kernel pseudo-filesystem', async (path) => {
    expect(await outputProblem(folder(path))).toMatchObject({ file: path });
    expect(await outputProblem(file(path))).toMatchObject({ file: path });
  });

  it('refuses a symbolic link that leads to /proc', async () => {
    await symlink('/proc/self', join(dir, 'proc-link'));
    expect(await outputProblem(folder(join(dir, 'proc-link', 'reports')))).toBeDefined();
  });

  it('refuses an existing file or FIFO as --out, and a path under a file', async () => {
    await writeFile(join(dir, 'file'), '');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(await outputProblem(folder(join(dir, 'file')))).toBeDefined();
    expect(await outputProblem(folder(join(dir, 'fifo')))).toBeDefined();
    expect(await outputProblem(folder(join(dir, 'file', 'deeper', 'reports')))).toBeDefined();
    expect(await outputProblem(file(join(dir, 'file', 'junit.xml')))).toBeDefined();
  });

  it('refuses a folder or a FIFO as --junit', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(await outputProblem(file(dir))).toBeDefined();
    expect(await outputProblem(file(join(dir, 'fifo')))).toBeDefined();
  });

  it('refuses a dangling symbolic link, as the target and as an ancestor', async () => {
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(await outputProblem(folder(join(dir, 'dangling')))).toBeDefined();
    expect(await outputProblem(folder(join(dir, 'dangling', 'reports')))).toBeDefined();
    expect(await outputProblem(file(join(dir, 'dangling')))).toBeDefined();
  });

  it('follows a symbolic link to a real folder', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    expect(await outputProblem(folder(join(dir, 'link')))).toBeUndefined();
    expect(await outputProblem(folder(join(dir, 'link', 'new')))).toBeUndefined();
  });

  it('requires a folder that is also read (report --index) to exist', async () => {
    expect(await outputProblem(folder(join(dir, 'missing'), { mustExist: true }))).toBeDefined();
    expect(await outputProblem(folder(dir, { mustExist: true }))).toBeUndefined();
  });

  it('reports every unusable target in one OUTPUT_INVALID error, with the flag, the path and a fix', async () => {
    await writeFile(join(dir, 'file'), '');
    const error = (await checkOutputs([folder(join(dir, 'file')), file(dir), file(join(dir, 'ok.xml'))]).catch((e: unknown) => e)) as AgentdrillError;
    expect(error).toBeInstanceOf(AgentdrillError);
    expect(error.code).toBe('OUTPUT_INVALID');
    expect(error.problems.map((p) => p.file)).toEqual([join(dir, 'file'), dir]);
    for (const p of error.problems) expect(p.hint).toBeTruthy();
    expect(error.problems[0]!.message).toContain('--out');
    expect(error.problems[1]!.message).toContain('--junit');
  });

  it('does not repeat a folder\'s problem for the files placed in it', async () => {
    const error = (await checkOutputs([folder('/proc/x'), file('/proc/x/report.html', { option: '--out' }), file('/proc/history.jsonl', { option: '--out', derived: true })]).catch((e: unknown) => e)) as AgentdrillError;
    expect(error.problems).toHaveLength(1);
  });
});
