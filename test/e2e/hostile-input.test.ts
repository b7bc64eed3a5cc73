import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot, startCli } from '../helpers/cli.ts';

/**
 * Hostile input through the real CLI: each case must end with exit 2 and one coded message within
 * seconds (the vitest timeout), before any broker starts. A FIFO that blocked would hang its CLI,
 * so every CLI still running when a test ends is killed.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-hostile-'));
const shippedFile = path.join(repoRoot, 'scenarios', 'downstream-backlog.yaml');
const runbookFile = path.join(repoRoot, 'runbooks', 'order-pipeline.md');
const shipped = readFileSync(shippedFile, 'utf8')
  .replace('../runbooks/order-pipeline.md', runbookFile)
  .replace('../examples/order-pipeline/fleet.yaml', path.join(repoRoot, 'examples', 'order-pipeline', 'fleet.yaml'));
const quick = { timeout: 20_000 };

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const run = startCli(args);
  running.add(run.child);
  const { code } = await run.exit;
  running.delete(run.child);
  const stderr = run.stderr();
  return { code, stdout: run.stdout(), stderr, errorCode: /^agentdrill: .* \[([A-Z_]+)\]$/m.exec(stderr)?.[1] };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function fifo(name: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
  return file;
}

function scenario(name: string, from: string, to: string): string {
  expect(shipped).toContain(from);
  return write(name, shipped.replace(from, to));
}

describe('pipes and devices never block', () => {
  it('a FIFO as the scenario, as a suite member, and as --runbook', quick, async () => {
    fifo('suite/x.yaml');
    const [single, suite, runbook] = await Promise.all([
      cli('run', fifo('pipe.yaml')),
      cli('run', path.join(dir, 'suite')),
      cli('run', shippedFile, '--runbook', fifo('pipe.md')),
    ]);
    expect([single.code, single.errorCode]).toEqual([2, 'SCENARIO_NOT_FOUND']);
    expect([suite.code, suite.errorCode]).toEqual([2, 'SCENARIO_NOT_FOUND']);
    expect([runbook.code, runbook.errorCode]).toEqual([2, 'RUNBOOK_NOT_FOUND']);
  });

  it('a FIFO as validate input, as --scenario, and as the runbook a scenario names', quick, async () => {
    const pipeRunbook = fifo('named.md');
    const [runbook, scenarioFlag, named] = await Promise.all([
      cli('validate', fifo('validate.md')),
      cli('validate', '--scenario', fifo('validate.yaml')),
      cli('run', scenario('names-fifo.yaml', runbookFile, pipeRunbook), '--json'),
    ]);
    expect([runbook.code, runbook.errorCode]).toEqual([2, 'RUNBOOK_NOT_FOUND']);
    expect([scenarioFlag.code, scenarioFlag.errorCode]).toEqual([2, 'SCENARIO_NOT_FOUND']);
    expect(named.code).toBe(2);
    expect((JSON.parse(named.stdout) as { error: { code: string } }).error.code).toBe('SCENARIO_INVALID');
  });

  it('/dev/zero as the scenario and as validate input: refused at once, as a device', quick, async () => {
    const [run, validate] = await Promise.all([cli('run', '/dev/zero', '--json'), cli('validate', '/dev/zero')]);
    expect(run.code).toBe(2);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('SCENARIO_NOT_FOUND');
    expect([validate.code, validate.errorCode]).toEqual([2, 'RUNBOOK_NOT_FOUND']);
  });
});

describe('pathological Markdown is refused before it is parsed', () => {
  it('10 000 nested ">" and 50 000 "[": RUNBOOK_INVALID (exit 2), not a stack overflow', quick, async () => {
    const deep = write('deep.md', `# T\n\n${'>'.repeat(10_000)} x\n`);
    const brackets = write('brackets.md', `# T\n\n${'['.repeat(50_000)}\n`);
    const [validate, run, many] = await Promise.all([cli('validate', deep), cli('run', shippedFile, '--runbook', deep), cli('validate', brackets)]);
    for (const r of [validate, run, many]) expect([r.code, r.errorCode]).toEqual([2, 'RUNBOOK_INVALID']);
    expect(validate.stderr).toContain(`${deep}:3:`);
  });
});

describe('values a timer cannot honour, and providers that do not exist', () => {
  it('baseline: 600h and ctl wait --timeout 600h', quick, async () => {
    const [run, wait] = await Promise.all([
      cli('run', scenario('baseline.yaml', 'baseline: 60s', 'baseline: 600h'), '--json'),
      cli('ctl', 'wait', 'lag(group=inventory) < 1', '--timeout', '600h'),
    ]);
    expect(run.code).toBe(2);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('SCENARIO_INVALID');
    expect([wait.code, wait.errorCode]).toEqual([2, 'USAGE']);
  });

  it('--provider nomad names the providers there are; provider: nomad is invalid at its line', quick, async () => {
    const kube = scenario('kube.yaml', 'provider: local', 'provider: nomad');
    const [flag, field, help] = await Promise.all([cli('run', shippedFile, '--provider', 'nomad'), cli('run', kube, '--json'), cli('run', '--help')]);
    expect([flag.code, flag.errorCode]).toEqual([2, 'USAGE']);
    for (const name of ['local', 'external', 'docker', 'kubernetes']) expect(flag.stderr).toContain(name);
    expect(field.code).toBe(2);
    const { error } = JSON.parse(field.stdout) as { error: { code: string; problems: { line: number }[] } };
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.problems[0]!.line).toBe(readFileSync(kube, 'utf8').split('\n').findIndex((l) => l.startsWith('provider:')) + 1);
    expect(help.stdout).not.toContain('nomad');
    expect(help.stdout).toContain('kubernetes');
  });
});

describe('messages are safe to print', () => {
  it('terminal escapes in a name come out escaped; a 60 KB value is cut', quick, async () => {
    const escape = scenario('escape.yaml', 'name: downstream-backlog', 'name: "\\e]0;pwned\\a\\e[31mred"');
    const long = scenario('long.yaml', 'latency: 300ms', `latency: "${'9'.repeat(60_000)}"`);
    const [esc, big] = await Promise.all([cli('run', escape), cli('run', long)]);
    expect([esc.code, esc.errorCode]).toEqual([2, 'SCENARIO_INVALID']);
    expect(esc.stderr).not.toContain('\u001b');
    expect([big.code, big.errorCode]).toEqual([2, 'SCENARIO_INVALID']);
    expect(big.stderr.length).toBeLessThan(5000);
  });
});
