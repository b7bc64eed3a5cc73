import { describe, expect, it } from 'vitest';
import { headingMeaning } from '../../src/runbook/heading-vocabulary.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';
import { fence, lint } from '../fixtures/runbooks/lint-helpers.ts';

/** The layouts real pages use, each read (flagged when it holds a defect, clean when it does not). */
const md = (...lines: string[]) => lines.join('\n');
const oncall = (text: string, rule?: string) => lint(text, rule, { profile: 'oncall', commands: ['curl', 'kubectl', 'kafka-consumer-groups', 'grep', 'head'] });
const at = (text: string, fragment: string) => text.split('\n').findIndex((l) => l.includes(fragment)) + 1;

describe('a block inside a list item', () => {
  const page = (lead: string) => md('# Lag', '## Meaning', 'Lag.', '## Mitigation', '', `1. ${lead}`, '', `   ${fence}sh`, '   kafka-consumer-groups --bootstrap-server k:9092 --group g --reset-offsets --to-latest --execute', `   ${fence}`, '');

  it('is read: an unguarded reset in "1. Skip the backlog:" is flagged at its line and column', () => {
    const text = page('Skip the backlog:');
    expect(oncall(text, 'destructive-unguarded')).toMatchObject([{ line: at(text, '--reset-offsets'), column: 4, severity: 'error' }]);
  });

  it('is clean when its own item says when: "Only if lag still grows after scale-out"', () => {
    expect(oncall(page('Only if lag still grows after scale-out, skip the backlog:'), 'destructive-unguarded')).toEqual([]);
  });

  it('becomes a step of its phase for a drill, the item\'s sentence its text', () => {
    const { runbook } = parseRunbook(page('Skip the backlog:'), 'f.md');
    expect(runbook.failureModes).toHaveLength(1);
    expect(runbook.failureModes[0]!.phases.respond).toMatchObject([{ lang: 'sh', text: 'Skip the backlog:', command: expect.stringContaining('--reset-offsets') as unknown }]);
  });
});

describe('text under a ## before its first ###', () => {
  const page = (lead: string) => md('# Connect guide', '## Troubleshooting', '', lead, '', `${fence}sh`, 'rm -r /var/lib/connect/offsets/*', fence, '', '### A task is failed', '', 'Restart it.');

  it('is read: the rm -r there is flagged', () => {
    const text = page('Clear the offsets store first:');
    expect(oncall(text, 'destructive-unguarded')).toMatchObject([{ line: at(text, 'rm -r') }]);
  });

  it('is clean with a confirmation in the prose before it', () => {
    expect(oncall(page('Make sure every worker is stopped, then clear the offsets store:'), 'destructive-unguarded')).toEqual([]);
  });
});

describe('prompts and output lines in every shell block', () => {
  it('strips `$ ` prompts in ```sh and drops output: NAME, I0611, a Delete in a table are not commands', () => {
    const text = md('# X', '## Diagnosis', `${fence}sh`, '$ kubectl get pods', 'NAME    READY   STATUS', 'I0611 04:00:00.1 1 x.go:1] msg', 'Delete  1/1     Running', fence, '');
    expect(oncall(text)).toEqual([]);
    expect(parseRunbook(text, 'f.md').runbook.page.blocks[0]!.block.command).toBe('kubectl get pods');
  });

  it('flags a destructive command after a prompt, at the column after the prompt', () => {
    const text = md('# X', '## Mitigation', `${fence}bash`, '$ kubectl delete pod web-0', 'pod "web-0" deleted', fence, '');
    expect(oncall(text)).toMatchObject([{ rule: 'destructive-unguarded', line: at(text, 'kubectl delete'), column: 3 }]);
  });

  it('runs what follows `oc rsh` inside the pod: a tool missing here is not reported there', () => {
    const text = md('# X', '## Diagnosis', `${fence}console`, '$ oc rsh -n etcd etcd-0', 'sh-4.4# etcdctl endpoint health', fence, '', `${fence}sh`, 'lagctl show', 'lagctl top', fence, '');
    const findings = oncall(text, 'command-not-found');
    const lines = `lagctl (lines ${at(text, 'lagctl show')}, ${at(text, 'lagctl top')})`;
    expect(findings).toMatchObject([{ line: at(text, 'lagctl show'), severity: 'warning', message: expect.stringContaining(lines) as unknown }]);
  });
});

describe('a variable assigned in the block', () => {
  it('flags the placeholder on the assignment, once, and not the uses of the variable', () => {
    const text = md('# X', '## Diagnosis', `${fence}bash`, 'NODE_NAME=<from the alert>', 'kubectl describe node "$NODE_NAME"', 'kubectl get events | grep "$NODE_NAME"', fence, '');
    expect(oncall(text)).toMatchObject([{ rule: 'placeholder-assignment', line: at(text, 'NODE_NAME=<'), column: 1, severity: 'error' }]);
  });

  it('is clean when the value comes from a command', () => {
    const text = md('# X', '## Diagnosis', `${fence}bash`, 'NODE_NAME=$(kubectl get nodes -o name | head -1)', 'kubectl describe "$NODE_NAME"', fence, '');
    expect(oncall(text)).toEqual([]);
  });
});

describe('headings', () => {
  it('maps loose headings, and lists the ones it could not map without dropping their blocks', () => {
    expect(['Troubleshoot', 'How to investigate', '2. Diagnostic Steps'].map((h) => headingMeaning(h.toLowerCase()).phase)).toEqual(['diagnose', 'diagnose', 'diagnose']);
    expect(['Recovery Steps', 'Remediation Procedures', 'Immediate Actions (0-5 minutes)'].map((h) => headingMeaning(h.toLowerCase()).phase)).toEqual(['respond', 'respond', 'respond']);
    expect(headingMeaning('symptom').phase).toBe('detect');
    expect(headingMeaning('escalation criteria').section).toBe('escalation');
    expect(headingMeaning('validate recovery').phase).toBe('verify');
    const text = md('# X', '## Meaning', 'm', '## Odd stuff', `${fence}sh`, 'kubectl delete ns staging', fence, '## References', '- a');
    const { runbook } = parseRunbook(text, 'f.md');
    expect(runbook.page.unmapped.map((h) => [h.text, h.line])).toEqual([['Odd stuff', 4]]);
    expect(oncall(text, 'destructive-unguarded')).toMatchObject([{ line: 6 }]);
  });

  it('maps nothing away on a page of known headings', () => {
    const text = md('# X', '## Overview', 'o', '## Symptoms', 's', '## Recovery Steps', 'r', '## See also', '- x');
    expect(parseRunbook(text, 'f.md').runbook.page.unmapped).toEqual([]);
  });
});

describe('kinds', () => {
  const alertPage = md('# EtcdNoLeader', '## Meaning', 'm', '## Impact', 'i', '## Diagnosis', '### Disk', 'Check disk.', '### Network', 'Check network.', '## Mitigation', '### Option A', 'Restart the member.', '### Option B', 'Restore from backup.');

  it('reads an alert page\'s ### as options of one response, not failure modes, and asks it for no Health', () => {
    const { runbook } = parseRunbook(alertPage, 'f.md');
    expect(runbook.kind).toBe('alert');
    expect(runbook.failureModes.map((m) => m.id)).toEqual(['etcdnoleader']);
    expect(oncall(alertPage)).toEqual([]);
  });

  it('keeps the six sections for a service runbook in both profiles', () => {
    const service = md('# S', '## Health', '| metric | green | red |', '| --- | --- | --- |', '| lag | < 1 | > 5 for 1m |', '## Failure modes', '### Lag', '#### Respond', 'Scale out.');
    for (const profile of ['oncall', 'drill'] as const) {
      expect(lint(service, 'missing-section', { profile }).map((f) => f.message)).toEqual(expect.arrayContaining(['no "Escalation" section', 'no "Rollback" section']));
    }
  });

  it('says so when an alert page has nothing to do in it', () => {
    expect(oncall(md('# A', '## Meaning', 'm', '## Impact', 'i'), 'missing-section')).toMatchObject([{ line: 1, severity: 'error' }]);
  });
});
