import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headingMeaning } from '../../src/runbook/heading-vocabulary.ts';
import { lintRunbook } from '../../src/runbook/lint/index.ts';
import { shellLines } from '../../src/runbook/parse-console.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';
import { isOutputLine } from '../../src/runbook/shell-output.ts';
import { fence, testContext } from '../fixtures/runbooks/lint-helpers.ts';

describe('shellLines: what a person types from a shell block', () => {
  it('reads prompts of every kind, marks what runs after `oc rsh` or `ssh host` as remote, until exit', () => {
    const out = shellLines(['$ oc rsh etcd-0', 'sh-4.4# etcdctl member list', 'abc, started', 'sh-4.4# exit', '[root@bastion ~]# uptime', 'me@laptop:~$ ssh db-1', '# df -h'].join('\n'));
    expect(out.transcript).toBe(true);
    expect(out.commands.map((c) => [c.text, c.remote])).toEqual([
      ['oc rsh etcd-0', false],
      ['etcdctl member list', true],
      ['exit', true],
      ['uptime', false],
      ['ssh db-1', false],
      ['df -h', true],
    ]);
  });

  it('keeps a script whole less its output, with here-documents and continued lines', () => {
    const out = shellLines(['kubectl get pods \\', '  -n web', 'NAME  READY  STATUS', 'cat <<EOF > x', 'NAME stays: it is data', 'EOF', 'error: not found', '{"a": 1}', 'notAfter=Jul 14 09:00:00 2025 GMT', 'X=1 run'].join('\n'));
    expect(out.commands.map((c) => c.text)).toEqual(['kubectl get pods \\\n  -n web', 'cat <<EOF > x\nNAME stays: it is data\nEOF', 'X=1 run']);
  });

  it('takes database prompts as statements, not shell', () => {
    const out = shellLines(['$ psql app', 'app=# DELETE FROM jobs;', ' count', '-------'].join('\n'));
    expect(out.commands.map((c) => c.text)).toEqual(['psql app']);
    expect(out.statements).toEqual([{ text: 'DELETE FROM jobs;', line: 1, column: 6 }]);
  });

  it('never throws, keeps origins inside the block, and never turns a transcript\'s output into a command', () => {
    const line = fc.oneof(
      fc.constantFrom('$ kubectl get pods', 'NAME READY', 'sh-4.4# etcdctl del x', '# comment', 'a \\', '> b', "echo 'x", 'cat <<EOF', 'EOF', 'db=# DROP TABLE t;', '  $ ', 'I0611 x', '- bullet'),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const value = lines.join('\n');
        const out = shellLines(value);
        const count = value.split('\n').length;
        for (const c of out.commands) {
          expect(c.origins.length).toBe(c.text.split('\n').length);
          for (const o of c.origins) expect(o.line).toBeLessThan(count);
        }
        if (out.transcript) {
          // The first line of every command is a prompted line: output never starts a command.
          for (const c of out.commands) expect(value.split('\n')[c.origins[0]!.line]!.length).toBeGreaterThan(c.text.split('\n')[0]!.length - 1);
        }
        isOutputLine(lines[0] ?? '');
      }),
      { numRuns: 300 },
    );
  });
});

describe('headingMeaning', () => {
  it('never throws and always answers whether the heading is known', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (title) => {
        expect(typeof headingMeaning(title.toLowerCase()).known).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('the page reader never throws, in either profile', () => {
  it('on lists, quotes and headings holding blocks of any kind', () => {
    const heading = fc.constantFrom('## Meaning', '## Mitigation', '## Troubleshoot', '### Option A', '#### Respond', '## Odd', '## Escalation', '## Health', '# T');
    const body = fc.constantFrom('$ kubectl delete pod x', 'NODE=<from the alert>', 'rm -r /d/*', 'DROP TABLE t;', 'TODO', '', 'sh-4.4# etcdctl del k', 'curl -X DELETE u');
    const info = fc.constantFrom('sh', 'console', 'sql', '', 'bash {"guard":"x"}', 'alert', 'check');
    const code = fc.tuple(info, fc.array(body, { maxLength: 3 })).map(([i, b]) => [`${fence}${i}`, ...b, fence]);
    const indent = (lines: string[], by: string) => lines.map((l) => (l ? by + l : l)).join('\n');
    const block = fc.oneof(
      heading,
      code.map((c) => c.join('\n')),
      fc.tuple(fc.constantFrom('1. ', '- ', '> '), fc.string({ maxLength: 30 }), code).map(([m, t, c]) => `${m}${t}\n\n${indent(c, m === '> ' ? '> ' : '   ')}`),
      fc.constantFrom('- ', '1.', '- contact the platform team', 'Only if lag grows: `kubectl scale deploy/a --replicas=0`'),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 14 }), fc.constantFrom('oncall', 'drill'), (blocks, profile) => {
        const parsed = parseRunbook(blocks.join('\n\n'), '/tmp/f.md');
        for (const f of lintRunbook(parsed, testContext({ file: '/tmp/f.md', profile: profile as 'oncall' | 'drill' }))) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.message).not.toMatch(/^rule .* failed/);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});
