import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryCgroupDir, readCgroupMemory } from '../../src/fleet/oom/cgroup-memory.ts';
import { isOomKillOf } from '../../src/fleet/oom/kernel-log.ts';
import { describeOomJudgement, judgeOom, type OomSignals, type OomWitness } from '../../src/fleet/oom/oom-signals.ts';

const witnesses: OomWitness[] = ['engineFlag', 'engineEvent', 'kernelLog', 'cgroupOomKill'];
/** true = saw the kill, false = looked and saw none, undefined = could not look. */
const reading = fc.constantFrom<boolean | undefined>(true, false, undefined);

describe('judging an OOM kill from several witnesses', () => {
  it('every combination: OOM iff the exit is 137 and at least one witness saw it; disagreement is kept', () => {
    const values: (boolean | undefined)[] = [true, false, undefined];
    let combinations = 0;
    for (const exitCode of [137, 134, 1, 0, null]) {
      for (const a of values) for (const b of values) for (const c of values) for (const d of values) {
        const signals: OomSignals = {};
        [a, b, c, d].forEach((v, i) => v !== undefined && (signals[witnesses[i]!] = v));
        const j = judgeOom(exitCode, signals);
        const saw = [a, b, c, d].filter((v) => v === true).length;
        const sawNone = [a, b, c, d].filter((v) => v === false).length;
        expect(j.oomKilled).toBe(exitCode === 137 && saw > 0);
        expect(j.saw).toHaveLength(saw);
        expect(j.sawNone).toHaveLength(sawNone);
        expect(j.disagree).toBe(saw > 0 && (sawNone > 0 || exitCode !== 137));
        combinations++;
      }
    }
    expect(combinations).toBe(5 * 81);
  });

  it('the engine flag alone missing the kill (the loaded-runner race) does not hide it', () => {
    const j = judgeOom(137, { engineFlag: false, engineEvent: true, kernelLog: true });
    expect(j).toMatchObject({ oomKilled: true, saw: ['engineEvent', 'kernelLog'], sawNone: ['engineFlag'], disagree: true });
    expect(describeOomJudgement(j)).toContain('disagree');
  });

  it('a harness kill that no witness reports as OOM stays a kill', () => {
    expect(judgeOom(137, { engineFlag: false, engineEvent: false, kernelLog: false })).toMatchObject({ oomKilled: false, disagree: false });
    expect(judgeOom(137, {})).toMatchObject({ oomKilled: false, saw: [], sawNone: [] });
  });

  it('the description names every witness that saw the kill', () => {
    fc.assert(
      fc.property(reading, reading, reading, reading, (a, b, c, d) => {
        const signals: OomSignals = {};
        [a, b, c, d].forEach((v, i) => v !== undefined && (signals[witnesses[i]!] = v));
        const j = judgeOom(137, signals);
        const text = describeOomJudgement(j);
        for (const w of j.saw) expect(text).toContain(w);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the kernel log's oom-kill record", () => {
  const id = '88fdb30f653793569186d6cf014c35a49545e2248bba99923b6caca3cad8ab1d';
  const record = `6,1234,550793407,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=${id},mems_allowed=0,oom_memcg=/docker/${id},task_memcg=/docker/${id},task=node,pid=19944,uid=0`;

  it('matches the container id and the pid', () => {
    expect(isOomKillOf(record, id, 19944)).toBe(true);
    expect(isOomKillOf(record, id, undefined)).toBe(true);
  });

  it('another pid, another container, or another kind of line is not this kill', () => {
    expect(isOomKillOf(record, id, 19945)).toBe(false);
    expect(isOomKillOf(record, 'f00dbabe', 19944)).toBe(false);
    expect(isOomKillOf(`6,1235,550793434,-;Memory cgroup out of memory: Killed process 19944 (node)`, id, 19944)).toBe(false);
    expect(isOomKillOf('', id, 1)).toBe(false);
  });

  it('never throws on arbitrary records', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 70 }), fc.option(fc.nat()), (r, c, p) => {
      expect(typeof isOomKillOf(r, c, p ?? undefined)).toBe('boolean');
    }), { numRuns: 300 });
  });
});

describe('the memory cgroup of a process', () => {
  it('is found for this process and its counters read (cgroup v1 or v2)', async () => {
    const cgroup = await memoryCgroupDir(process.pid);
    expect(cgroup).toBeDefined();
    const memory = await readCgroupMemory(cgroup!);
    // Some sandboxes hide the cgroup folder; where it is there, the counters are numbers.
    if (memory) {
      expect(Number.isInteger(memory.oomKills)).toBe(true);
      expect(Number.isInteger(memory.limitHits)).toBe(true);
    }
  });

  it('a process that does not exist has none', async () => {
    expect(await memoryCgroupDir(2 ** 22 + 17)).toBeUndefined();
  });
});
