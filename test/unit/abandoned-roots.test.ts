import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootPrefix, sweepAbandonedRoots } from '../../src/infra/docker/images/abandoned-roots.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('root folders of killed base-image builds', () => {
  it('are removed when their builder is gone; a live builder\'s folder and other folders stay', async () => {
    const dir = tempDir('roots-');
    // A pid that surely ended: a process that has exited and been reaped.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const dead = path.join(dir, `${rootPrefix(Number(deadPid))}abc123`);
    const live = path.join(dir, `${rootPrefix()}def456`);
    const other = path.join(dir, 'agentdrill-rootfs-xyz');
    for (const d of [dead, live, other]) {
      mkdirSync(path.join(d, 'usr/bin'), { recursive: true });
      writeFileSync(path.join(d, 'usr/bin/sh'), '');
    }
    const said: string[] = [];
    expect(await sweepAbandonedRoots(dir, (m) => said.push(m))).toEqual([dead]);
    expect([existsSync(dead), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
    expect(said).toHaveLength(1);
  });
});
