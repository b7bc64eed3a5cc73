import { describe, expect, it } from 'vitest';
import { lintRules } from '../../src/runbook/lint/index.ts';
import { destructiveAction } from '../../src/runbook/lint/destructive.ts';
import { cleanRunbook, fence, lint } from '../fixtures/runbooks/lint-helpers.ts';

const md = (...lines: string[]) => lines.join('\n');
const oncall = (text: string, rule?: string) => lint(text, rule, { profile: 'oncall', commands: ['curl', 'kubectl', 'grep'] });

describe('destructive commands the page runs anywhere', () => {
  it('knows the new ones and leaves look-alikes alone', () => {
    const destructive = ['curl --request DELETE http://x/a', 'curl -XDELETE http://x', 'rm -r /data/*', 'rm /var/log/app/*.gz', 'git update-ref -d refs/heads/x', 'git -C /srv/r push --force origin main', 'kubectl drain node-1', 'kubectl -n k exec p -- rm -r /d', 'ssh db-1 rm -r /var/lib/pg', 'redis-cli -h c FLUSHALL', 'psql -c DROP TABLE users', 'find /var/log -name *.gz -delete', 'etcdctl del --prefix /a', 'kafka-delete-records --offset-json-file f.json'];
    for (const c of destructive) expect(destructiveAction(c.split(' ')), c).toBeDefined();
    const safe = ['grep -i delete app.log', 'git log --grep delete', 'curl -X GET http://x', 'kubectl delete pod x --dry-run=client', 'kubectl exec p -- ls /d', 'redis-cli INFO', 'echo drop', 'crictl rmi --prune'];
    for (const c of safe) expect(destructiveAction(c.split(' ')), c).toBeUndefined();
  });

  it('flags one per block, in inline code too, and accepts a confirmation or a condition next to it', () => {
    const block = md('# X', '## Mitigation', 'Stop everything:', `${fence}sh`, 'kubectl scale deploy/a --replicas=0', 'kubectl scale deploy/b --replicas=0', fence, '');
    expect(oncall(block, 'destructive-unguarded')).toMatchObject([{ line: 5, message: expect.stringContaining('and 1 more') as unknown }]);
    expect(oncall(block.replace('Stop everything:', 'Make sure the owner agreed, then stop everything:'), 'destructive-unguarded')).toEqual([]);
    const inline = md('# X', '## Mitigation', '- Restart it with `kubectl delete pod web-0`.');
    expect(oncall(inline, 'destructive-unguarded')).toMatchObject([{ line: 3, column: 20 }]);
    expect(oncall(inline.replace('Restart', 'If it hangs, restart'), 'destructive-unguarded')).toEqual([]);
  });

  it('reads SQL blocks and database prompts, leaving comments alone', () => {
    const sql = md('# X', '## Mitigation', `${fence}sql`, '-- DROP TABLE audit;', 'DELETE FROM jobs WHERE state = \'stuck\';', fence, '', `${fence}console`, '$ psql app', 'app=# TRUNCATE sessions;', fence, '');
    expect(oncall(sql, 'destructive-unguarded').map((f) => f.line)).toEqual([5, 10]);
  });

  it('asks a drill step for the guard attribute even where the prose confirms', () => {
    const text = cleanRunbook.replace(/ guard="[^"]*"/, '').replace('#### Respond (~1 min)', '#### Respond (~1 min)\n\nMake sure the API owner agreed.');
    expect(lint(text, 'destructive-unguarded', { profile: 'drill' })).toHaveLength(1);
  });
});

describe('todo-step', () => {
  it('flags TODO/TBD/FIXME steps, TODO comments in blocks, empty items and empty sections', () => {
    const text = md('# X', '## Meaning', 'm', '## Diagnosis', '- TODO', '-', '', `${fence}sh`, '# FIXME: the restart command', fence, '## Mitigation', '## Escalation', 'Pager +1-555-0100.');
    expect(oncall(text, 'todo-step').map((f) => [f.line, f.severity])).toEqual([[5, 'error'], [6, 'warning'], [9, 'error'], [11, 'error']]);
  });

  it('leaves metadata, a lower-case todo and a table alone', () => {
    const text = md('# X', 'Last tested: TBD', '## Meaning', 'Keep a todo list.', '', '| step | state |', '| --- | --- |', '| a | TBD |', '## Mitigation', 'Restart it.');
    expect(oncall(text, 'todo-step')).toEqual([]);
  });
});

describe('contact-unreachable', () => {
  it('flags "contact team X" with no way to reach them on a page without an Escalation section', () => {
    const text = md('# X', '## Mitigation', 'If it repeats, contact the storage team.', '', 'Escalate to Platform Engineering.');
    expect(oncall(text, 'contact-unreachable').map((f) => f.line)).toEqual([3, 5]);
  });

  it('is clean with a pager, a link, a channel, or an Escalation section to refer to', () => {
    const clean = md('# X', '## Mitigation', 'Contact the storage team (pager +1-555-0101).', '', 'Page the [DB on-call](https://oncall.example/db).', '', 'Ping the platform team in #platform.');
    expect(oncall(clean, 'contact-unreachable')).toEqual([]);
    expect(oncall(md('# X', '## Mitigation', 'Contact the storage team.', '## Escalation', '- storage: #storage'), 'contact-unreachable')).toEqual([]);
  });
});

describe('placeholder-assignment', () => {
  it('flags X=<...>, X=..., X=CHANGEME and export X={{ x }} at the name', () => {
    const text = md('# X', '## Diagnosis', `${fence}sh`, 'A=<the pod>', 'B=...; echo "$B"', 'export C={{ topic }}', 'D=CHANGEME', 'E=real-value', fence, '');
    expect(oncall(text, 'placeholder-assignment').map((f) => [f.line, f.column])).toEqual([[4, 1], [5, 1], [6, 8], [7, 1]]);
  });
});

describe('profiles', () => {
  it('drill-only rules never fire on-call', () => {
    const drillOnly = [...lintRules.values()].filter((r) => r.profiles?.length === 1 && r.profiles[0] === 'drill').map((r) => r.id);
    expect(drillOnly).toEqual(expect.arrayContaining(['step-no-time', 'inline-command']));
    const text = md('# Lag', '## Meaning', 'm', '## Diagnosis', fence, 'output', fence, '', `${fence}console`, 'only output', fence, '', '## Mitigation', '- Restart it: `kubectl rollout restart deploy/a`.');
    const rules = new Set(oncall(text).map((f) => f.rule));
    for (const id of [...drillOnly, 'step-outside-phase', 'unknown-phase', 'fence-no-lang', 'console-no-commands', 'failure-mode-incomplete']) expect(rules.has(id), id).toBe(false);
    const drill = lint(text, undefined, { profile: 'drill', commands: ['kubectl'] }).map((f) => f.rule);
    expect(drill).toEqual(expect.arrayContaining(['step-no-time', 'inline-command', 'failure-mode-incomplete', 'fence-no-lang', 'console-no-commands']));
  });

  it('a missing tool is one warning per file on-call, naming its lines; a drill step keeps the error', () => {
    const text = md('# X', '## Diagnosis', `${fence}sh`, 'lagctl top', 'lagctl top --all', 'burrow status', fence, '');
    expect(oncall(text, 'command-not-found')).toMatchObject([{ line: 4, severity: 'warning', message: expect.stringMatching(/lagctl \(lines 4, 5\), burrow \(line 6\).*may exist where on-call runs/) as unknown }]);
  });
});

describe('escalation sections as pages write them', () => {
  it('does not take a timeline table or a list of conditions for contacts; a chat-only contact still warns', () => {
    const text = md('# X', '## Meaning', 'm', '## Mitigation', 'Restart it.', '## Escalation', '', '| Time elapsed | Action |', '| --- | --- |', '| 0-15 min | On-call engineer handles |', '', '### When to escalate', '', '- Mitigation attempts unsuccessful', '', 'Escalate to L3 if:', '', '- lag keeps growing', '', '### Contacts', '', '- Incident commander: PagerDuty service kafka-prod', '- Team lead: @kafka-lead');
    expect(oncall(text, 'escalation-unreachable').map((f) => [f.line, f.severity])).toEqual([[text.split('\n').indexOf('- Team lead: @kafka-lead') + 1, 'warning']]);
  });
});

describe('where a command runs', () => {
  it('does not report a tool the prose says runs in a pod or on a host', () => {
    const text = md('# X', '## Diagnosis', 'Open a shell in the OSD pod and run:', '', `${fence}sh`, 'osdtool ops', fence, '', 'Then, here:', '', `${fence}sh`, 'lagtool top', fence, '');
    expect(oncall(text, 'command-not-found')).toMatchObject([{ line: 12, message: expect.not.stringContaining('osdtool') as unknown }]);
  });
});
