import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesWithMarker, repoRoot, runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

const rules = path.join(repoRoot, 'monitoring', 'order-pipeline.rules.yml');
const runbook = path.join(repoRoot, 'runbooks', 'order-pipeline.md');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'agentdrill-prom-cli-'));

function variant(edits: Record<string, unknown> = {}, ruleFile = rules): string {
  return scenarioVariant('downstream-backlog', {
    detection: { prometheus: { rules: [ruleFile], alert: 'AgentConsumerLagHigh', scrapeInterval: '5s', evaluationInterval: '5s', groupWait: '5s' } },
    ...edits,
  });
}

describe('Prometheus rules through the CLI (no drill runs)', () => {
  it('validate --rules: the shipped rules define every alert the runbook names (exit 0)', async () => {
    const run = await runCli(['validate', runbook, '--rules', rules, '--scenario', variant()]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('0 error(s)');
  });

  it('validate --rules: promtool\'s own problem at its line, an alert the runbook names but the rules lack, a for: past the target (exit 1)', async () => {
    const dir = tmp();
    const broken = path.join(dir, 'broken.rules.yml');
    writeFileSync(broken, readFileSync(rules, 'utf8').replace('- alert: AgentMemoryHigh', '- alert: AgentMemoryHot').replace('for: 2s', 'for: 10m').replace('[1m]) > 2', '[1m]) >'));
    const run = await runCli(['validate', runbook, '--rules', broken, '--scenario', variant({}, broken), '--format', 'json']);
    expect(run.code, run.stderr).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: { rule: string; file: string; line: number; message: string }[] }).findings;
    const byRule = (rule: string) => findings.filter((f) => f.rule === rule);
    const lineOf = (needle: string) => readFileSync(broken, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(byRule('promtool-check')[0]).toMatchObject({ line: lineOf('increase(kube_pod_container_status_restarts_total') });
    expect(byRule('prometheus-alert-undefined')[0]!.message).toContain('AgentMemoryHigh');
    const slow = byRule('prometheus-too-slow')[0]!;
    expect(slow.message).toMatch(/AgentConsumerLagHigh: for: 10m \+ scrape 5s \+ evaluation 5s/);
    expect(slow.line).toBe(lineOf('- alert: AgentConsumerLagHigh'));
  });

  it('run: an alert the rule files lack is exit 2 at its line; a missing Prometheus is exit 4 with the apt line, before anything starts', async () => {
    const scenario = scenarioVariant('downstream-backlog', { detection: { prometheus: { rules: [rules], alert: 'AgentLagHigh' } } });
    const bad = await runCli(['run', scenario, '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no alert "AgentLagHigh"/);
    expect(bad.stderr).toMatch(/alerts defined there: AgentConsumerLagHigh, AgentMemoryHigh/);

    // Only node on PATH: the fleet file's agents run on it, and Prometheus is what is missing.
    const bin = tmp();
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const missing = await runCli(['run', variant(), '--no-validate', '--out', tmp()], { env: { PATH: bin } });
    expect(missing.code, missing.stderr).toBe(4);
    expect(missing.stderr).toMatch(/\[TOOL_MISSING\]/);
    expect(missing.stderr).toContain('apt-get install -y --no-install-recommends prometheus prometheus-alertmanager');
    expect(processesWithMarker(missing.marker)).toEqual([]);
  });

  it('export promtool of a drill not paged by Prometheus is exit 2, naming why', async () => {
    const dir = tmp();
    const journal = path.join(dir, 'journal.json');
    writeFileSync(journal, JSON.stringify({ format: 'agentdrill-journal/1', events: [] }));
    const run = await runCli(['export', 'promtool', journal]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not detected by a Prometheus rule/);
    expect(spawnSync('promtool', ['--version']).status).toBe(0);
  });
});
