import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { buildStepEnvironment, fleetFileVariables } from '../../src/drill/step-environment.ts';
import { teamTopology } from '../../src/fleet/team/topology.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import { lintRules } from '../../src/runbook/lint/index.ts';
import type { Finding } from '../../src/runbook/model.ts';
import { validateRunbookFile } from '../../src/runbook/validate.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { fixturesDir, lint, lineOf } from '../fixtures/runbooks/lint-helpers.ts';
import { orderPipelineDefinition, orderPipelineStepNames } from '../helpers/order-pipeline.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

function fixture(name: string): { text: string; findings: Finding[] } {
  const file = path.join(fixturesDir, name);
  const text = readFileSync(file, 'utf8');
  return { text, findings: lint(text, undefined, { file, commands: ['curl', 'ssh', 'sudo', 'systemctl', 'rm'] }) };
}

function rulesAt(findings: Finding[], line: number): string[] {
  return findings.filter((f) => f.line === line).map((f) => f.rule);
}

describe('the shipped runbooks', () => {
  it('validate clean against their scenario, with the machine\'s own PATH', async () => {
    const scenario = await loadScenario(path.join(root, 'scenarios', 'downstream-backlog.yaml'));
    const { findings } = await validateRunbookFile(path.join(root, 'runbooks', 'order-pipeline.md'), { scenario });
    expect(findings).toEqual([]);
  });

  it('validate clean against every scenario (scenarios/, examples/payments/drills/), in both profiles', async () => {
    const dirs = [path.join(root, 'scenarios'), path.join(root, 'examples', 'payments', 'drills')];
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => path.join(d, f)));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const scenario = await loadScenario(file);
      for (const profile of ['oncall', 'drill'] as const) {
        const { findings } = await validateRunbookFile(scenario.runbook.file, { scenario, profile });
        expect(findings, `${path.basename(file)} (${profile})`).toEqual([]);
      }
    }
  }, 60_000);
});

describe('fixtures in the styles teams write', () => {
  it('the clean fixture has no finding at all', () => {
    expect(fixture('clean.md').findings).toEqual([]);
  });

  it('a Meaning/Impact/Diagnosis/Mitigation page becomes one failure mode; inline commands and placeholders are found', () => {
    const { text, findings } = fixture('kafka-consumer-lag.md');
    // An alert page is not asked for a service's Health, Rollback or change log, in either profile.
    expect(findings.filter((f) => f.rule === 'missing-section')).toEqual([]);
    expect(rulesAt(findings, lineOf(text, '## Diagnosis'))).toEqual(['failure-mode-incomplete', 'failure-mode-incomplete', 'failure-mode-incomplete', 'step-no-time']);
    const describe = lineOf(text, '--describe --group <group>');
    expect(findings.filter((f) => f.line === describe).map((f) => [f.rule, f.column])).toEqual([
      ['inline-command', 32],
      ['unbound-placeholder', 74],
      ['unbound-placeholder', 102],
    ]);
    // Inline commands are a person's to paste: warnings, not errors.
    expect(findings.filter((f) => f.rule === 'unbound-placeholder').every((f) => f.severity === 'warning')).toBe(true);
  });

  it('a troubleshooting guide: missing scripts, $RUN_ID, unguarded resets, chat-only escalation, two-command rollback', () => {
    const { text, findings } = fixture('troubleshooting-guide.md');
    expect(rulesAt(findings, lineOf(text, './scripts/collect-logs.sh'))).toEqual(['unbound-placeholder']);
    // $RUN_ID and $BOOTSTRAP_SERVERS were reported at their first use: one finding per defect.
    expect(rulesAt(findings, lineOf(text, './scripts/find-poison.sh'))).toEqual(['missing-file']);
    expect(rulesAt(findings, lineOf(text, './scripts/wait-for-lag.sh'))).toEqual(['missing-file']);
    expect(rulesAt(findings, lineOf(text, 'kafka-consumer-groups --bootstrap-server "$BOOTSTRAP"'))).toEqual(['destructive-unguarded', 'unbound-placeholder']);
    expect(rulesAt(findings, lineOf(text, 'rm -rf /var/lib'))).toEqual(['destructive-unguarded']);
    expect(rulesAt(findings, lineOf(text, '## Escalation'))).toEqual(['escalation-unreachable']);
    // A missing command is reported once, at its first use in a drill step.
    expect(rulesAt(findings, lineOf(text, 'kubectl rollout undo'))).toEqual(['command-not-found']);
    expect(rulesAt(findings, lineOf(text, 'kubectl rollout status'))).toEqual(['rollback-one-command']);
    expect(rulesAt(findings, lineOf(text, 'lag(group=ledger) > 10000'))).toEqual(['threshold-incomplete']);
    expect(findings.filter((f) => f.message.includes('CLUSTER'))).toEqual([]);
    expect(findings.filter((f) => f.rule === 'missing-file' && f.message.includes('collect-logs'))).toEqual([]);
  });

  it('a page with no commands at all: structure findings only, no crash', () => {
    const { text, findings } = fixture('no-commands.md');
    expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual(['failure-mode-incomplete', 'missing-section', 'step-no-time']);
    expect(findings.find((f) => f.rule === 'failure-mode-incomplete')).toMatchObject({ line: lineOf(text, '#### Detect'), message: expect.stringContaining('alert') as unknown });
  });
});

describe('the rule registry', () => {
  it('keys each rule by its id, and every rule has a description', () => {
    for (const [id, rule] of lintRules) {
      expect(rule.id).toBe(id);
      expect(rule.description.length).toBeGreaterThan(10);
    }
    expect(lintRules.size).toBeGreaterThanOrEqual(15);
  });

  it('documents every rule, with its profile, in docs/runbook-format.md', () => {
    const doc = readFileSync(path.join(root, 'docs', 'runbook-format.md'), 'utf8');
    for (const [id, rule] of lintRules) {
      const heading = doc.split('\n').find((l) => l.startsWith(`### \`${id}\``));
      expect(heading, id).toBeDefined();
      const profile = rule.profiles?.length === 1 ? rule.profiles[0]! : 'both';
      expect(heading!.replace('on-call', 'oncall'), id).toMatch(profile === 'both' ? /both|oncall.*drill/ : new RegExp(`\\(${profile}`));
    }
  });
});

describe('the order pipeline\'s step names (fleetFileEnvironmentNames)', () => {
  it('names exactly the variables buildStepEnvironment sets on top of the user environment', async () => {
    const workDir = tempDir('agentdrill-env-');
    const infra = { kafka: { bootstrapServers: ['b:9092'], toolsBinDir: undefined }, toxiproxy: { apiUrl: 'http://t' } } as unknown as StartedInfra;
    const env = await buildStepEnvironment({ settings: settingsFromEnv(), workDir, infra, controlUrl: 'http://c', fleetVariables: fleetFileVariables(teamTopology(orderPipelineDefinition(), 'p-'), { 'inventory-api': 'http://i' }, { decision: { file: path.join(workDir, 'decision.json') } }), drillId: 'd' });
    const added = Object.keys(env).filter((k) => env[k] !== process.env[k] || k === 'PATH');
    expect(new Set(orderPipelineStepNames())).toEqual(new Set(added));
    // The names its runbook uses are among them.
    expect(added).toEqual(expect.arrayContaining(['ORDERS_TOPIC', 'INVENTORY_CHECKED_TOPIC', 'DECISION_GROUP', 'INVENTORY_API_URL', 'DECISION_STATE_FILE']));
  });
});
