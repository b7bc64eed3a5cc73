import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintRunbook } from '../../src/runbook/lint/index.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';
import { fence, testContext } from '../fixtures/runbooks/lint-helpers.ts';

const md = (...lines: string[]) => lines.join('\n');

describe('GFM tables, sections and bindings in the model', () => {
  it('reads the Health table into metrics with green/yellow/red cells at their positions', () => {
    const { runbook } = parseRunbook(md('## Golden signals', '', '| Metric | Healthy | Warning | Critical |', '| --- | --- | --- | --- |', '| `lag(group=a)` | < 10 | 10–50 | > 50 for 1m |'), 'f.md');
    expect(runbook.health).toEqual([
      {
        line: 5,
        metric: { text: 'lag(group=a)', line: 5, column: 3 },
        green: { text: '< 10', line: 5, column: 20 },
        yellow: { text: '10–50', line: 5, column: 27 },
        red: { text: '> 50 for 1m', line: 5, column: 35 },
      },
    ]);
  });

  it('reads escalation contacts from tables and lists, and the rollback commands and decider', () => {
    const { runbook } = parseRunbook(
      md('## Escalation', 'In order:', '', '| who | pager |', '| - | - |', '| Ana | +1-555-0100 |', '', '- Bo, @bo', '## Rollback (~1 min)', 'The lead may decide.', `${fence}sh {"timeout":"30s"}`, 'undo-it', fence),
      'f.md',
    );
    expect(runbook.escalation?.contacts.map((c) => [c.text, c.line])).toEqual([['Ana | +1-555-0100', 6], ['Bo, @bo', 8]]);
    expect(runbook.rollback).toMatchObject({ line: 9, estimateMs: 60_000, text: 'The lead may decide.', blocks: [{ name: 'rollback-1', command: 'undo-it', attributes: { timeout: 30_000 } }] });
  });

  it('binds front matter env: as a mapping or a list, and reports a bad one', () => {
    expect(parseRunbook('---\nenv:\n  RUN_ID: 7\n---\n# X', 'f.md').runbook.env).toEqual({ RUN_ID: '7' });
    expect(parseRunbook('---\nenv: [A, B]\n---\n', 'f.md').runbook.env).toEqual({ A: '', B: '' });
    expect(parseRunbook('---\nenv:\n  bad-name: 1\n---\n', 'f.md').findings).toMatchObject([{ rule: 'front-matter', line: 2 }]);
  });

  it('turns a ```check block into an agentdrill ctl wait step, and rejects a for window', () => {
    const { runbook, findings } = parseRunbook(
      md('## Failure modes', '### Lag', '#### Verify', `${fence}check {"name":"drained","timeout":"2m"}`, 'lag(group=a) < 5', fence, `${fence}check`, 'lag(group=a) < 5 for 3s', fence),
      'f.md',
    );
    expect(runbook.failureModes[0]!.phases.verify).toMatchObject([{ name: 'drained', lang: 'check', command: "agentdrill ctl wait 'lag(group=a) < 5' --timeout 120s", attributes: { timeout: 120_000 } }]);
    expect(findings).toMatchObject([{ rule: 'check-syntax', line: 8, column: 18 }]);
  });

  it('quotes a check for the shell even when a label value holds a single quote', () => {
    const rule = 'metric(agent=a, name=x_total, path="it\'s") > 1/s';
    const { runbook } = parseRunbook(md('## Failure modes', '### Lag', '#### Verify', `${fence}check`, rule, fence), 'f.md');
    const command = runbook.failureModes[0]!.phases.verify[0]!.command!;
    expect(command).toBe(`agentdrill ctl wait 'metric(agent=a, name=x_total, path="it'\\''s") > 1/s' --timeout 60s`);
    // The shell gives ctl wait the rule as written, in one word.
    expect(execFileSync('sh', ['-c', command.replace('agentdrill ctl wait', 'printf %s').replace(/ --timeout \S+$/, '')], { encoding: 'utf8' })).toBe(rule);
  });

  it('reads a Meaning/Diagnosis/Mitigation page as one failure mode, and Troubleshooting H3s as modes', () => {
    const page = parseRunbook(md('# Kafka lag high', '## Meaning', 'x', '## Diagnosis (~5 min)', '1. look', '## Mitigation', `${fence}sh`, 'fix', fence), 'f.md').runbook;
    expect(page.failureModes).toMatchObject([{ id: 'kafka-lag-high', implicit: true, estimatesMs: { diagnose: 300_000 } }]);
    expect(page.failureModes[0]!.phases.respond).toMatchObject([{ command: 'fix', line: 7 }]);
    expect(page.sections.map((s) => s.kind)).toEqual(['summary', 'failure-modes', 'failure-modes']);
    const guide = parseRunbook(md('## Troubleshooting', '### Slow', `${fence}sh`, 'look', fence, '#### Fix', `${fence}sh`, 'fix', fence), 'f.md').runbook;
    expect(guide.failureModes[0]!.phases).toMatchObject({ diagnose: [{ command: 'look' }], respond: [{ command: 'fix' }] });
  });

  it('maps console commands back to their file positions', () => {
    const { runbook } = parseRunbook(md('## Failure modes', '### X', '#### Respond', `${fence}console`, '$ echo a \\', '>   b', 'out', '  $ echo c', fence), 'f.md');
    expect(runbook.failureModes[0]!.phases.respond[0]!.sourceMap).toEqual([
      { line: 5, column: 3 },
      { line: 6, column: 3 },
      { line: 8, column: 5 },
    ]);
  });
});

describe('robustness with tables', () => {
  it('never throws parsing or linting generated Markdown with tables, sections and steps', () => {
    const heading = fc.constantFrom('## Health', '## Escalation', '## Rollback (~1 min)', '## Failure modes', '## Troubleshooting', '## Meaning', '## Mitigation', '### Lag', '#### Respond', '#### Verify (~2 min)', '# T');
    const cell = fc.constantFrom('`lag(group=a)`', '< 5', '> 5 for 3s', '', '—', 'pager +1-555-0100', '@x', '|', '\\|', 'a`b', '{{x}}');
    const table = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 4 }), fc.boolean())
      .map(([cols, rows, aligned]) => {
        const head = `| ${['metric', 'green', 'yellow', 'red'].slice(0, cols).join(' | ')} |`;
        const sep = aligned ? `|${' --- |'.repeat(cols)}` : '| - |';
        return [head, sep, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
      });
    const info = fc.constantFrom('sh', 'console', 'check', 'alert', 'sh { guard timeout=1s }', 'bash {"name":"x"}');
    const body = fc.constantFrom('rm -rf ./x', '$ ./scripts/a.sh "$RUN_ID" <pod>', 'lag(group=a) < 5', 'kafka-consumer-groups --reset-offsets --execute', 'echo "${A:-', "'unclosed", 'cat <<EOF', 'a | b && c; $(d', '');
    const block = fc.oneof(heading, table, fc.tuple(info, fc.array(body, { maxLength: 3 })).map(([i, b]) => [`${fence}${i}`, ...b, fence].join('\n')), fc.string({ maxLength: 40 }), fc.constant('---\nenv:\n  A: 1\n---'));
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), (blocks) => {
        const parsed = parseRunbook(blocks.join('\n\n'), '/tmp/f.md');
        for (const f of lintRunbook(parsed, testContext({ file: '/tmp/f.md' }))) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.message).not.toMatch(/^rule .* failed/);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});
