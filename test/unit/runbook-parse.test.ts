import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRunbook, selectFailureMode } from '../../src/runbook/load.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';
import { consoleCommands } from '../../src/runbook/parse-console.ts';
import { parseFenceInfo } from '../../src/runbook/parse-info.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shippedFile = path.join(root, 'runbooks', 'order-pipeline.md');

const fence = '```';
function md(...lines: string[]): string {
  return lines.join('\n');
}

describe('the shipped runbook', () => {
  it('parses without error findings into the expected failure mode', async () => {
    const { runbook, findings } = await loadRunbook(shippedFile, { strict: true });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(runbook.sections.map((s) => s.kind)).toEqual(['summary', 'health', 'failure-modes', 'escalation', 'rollback', 'changelog']);
    expect(runbook.frontMatter).toMatchObject({ service: 'order-pipeline' });
    const mode = selectFailureMode(runbook, '#downstream-backlog');
    expect(mode.title).toBe('Downstream backlog');
    expect(mode.alert).toMatchObject({ text: 'throughput(group=inventory) < 40/s for 3s', rule: { forMs: 3000 } });
    const text = readFileSync(shippedFile, 'utf8').split('\n');
    expect(text[mode.alert!.line - 1]).toBe(mode.alert!.text);
    expect(mode.phases.diagnose).toMatchObject([{ name: 'confirm-api-latency', lang: 'sh', manual: false, attributes: { timeout: 10_000 } }]);
    expect(mode.phases.diagnose[0]!.command).toContain('$INVENTORY_API_URL/health');
    expect(mode.phases.respond).toMatchObject([{ name: 'scale-out', command: 'agentdrill ctl scale inventory +2', attributes: { timeout: 30_000 } }]);
    expect(mode.phases.verify).toMatchObject([{ name: 'lag-draining', attributes: { timeout: 150_000 } }]);
    expect(mode.phases.escalate.length).toBeGreaterThan(0);
    expect(mode.phases.escalate.every((s) => s.manual && s.command === undefined)).toBe(true);
    expect(mode.phases.escalate[0]!.text).toMatch(/page the inventory API owner/);
    expect(mode.estimatesMs).toMatchObject({ detect: 60_000, respond: 60_000 });
    expect(text[mode.phases.respond[0]!.line - 1]).toMatch(/^```sh/);
  });

  it('fails loading a missing runbook, and lists the ids for an unknown anchor', async () => {
    await expect(loadRunbook(path.join(root, 'runbooks', 'nope.md'))).rejects.toMatchObject({ code: 'RUNBOOK_NOT_FOUND' });
    const { runbook } = await loadRunbook(shippedFile);
    expect(() => selectFailureMode(runbook, 'downstream')).toThrow(expect.objectContaining({ code: 'FAILURE_MODE_NOT_FOUND', hint: expect.stringContaining('#downstream-backlog') as unknown }));
  });
});

describe('fence attributes', () => {
  it('reads JSON and key=value styles alike', () => {
    const want = { lang: 'sh', attributes: { name: 'scale-out', timeout: 30_000 }, problems: [] };
    expect(parseFenceInfo('sh', '{"name":"scale-out","timeout":"30s"}')).toEqual(want);
    expect(parseFenceInfo('sh', '{ name=scale-out timeout=30s }')).toEqual(want);
    expect(parseFenceInfo('sh{"name":"scale-out","timeout":"30s"}', null)).toEqual(want);
    expect(parseFenceInfo('bash', '{ name="scale out" interactive=false background }').attributes).toEqual({ name: 'scale out', interactive: 'false', background: true });
  });

  it('reports malformed attributes as findings with the line', () => {
    const { findings } = parseRunbook(
      md('## Failure modes', '### X', '#### Respond', `${fence}sh {"name": }`, 'echo', fence, `${fence}sh { timeout=soon }`, 'echo', fence),
      'f.md',
    );
    expect(findings.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ['fence-attributes', 4, 'error'],
      ['fence-attributes', 7, 'error'],
    ]);
  });
});

describe('steps', () => {
  it('keeps only prompted lines of console blocks, joining continuations', () => {
    expect(consoleCommands('$ kubectl get pods\nNAME READY\n$ agentdrill ctl scale \\\n> inventory \\\n    +2\nscaled\n$')).toEqual([
      'kubectl get pods',
      'agentdrill ctl scale \\\ninventory \\\n    +2',
    ]);
    const { runbook, findings } = parseRunbook(
      md('## Failure modes', '### Slow API {#slow}', '#### Mitigate', `${fence}console`, '$ echo one', 'one', '$ echo two', fence, `${fence}console`, 'output only', fence),
      'f.md',
    );
    expect(runbook.failureModes[0]!.id).toBe('slow');
    expect(runbook.failureModes[0]!.phases.respond).toMatchObject([{ name: 'respond-1', lang: 'console', command: 'echo one\necho two' }]);
    expect(findings).toMatchObject([{ rule: 'console-no-commands', line: 9 }]);
  });

  it('turns prose of a phase without commands into manual steps, one per item or paragraph', () => {
    const { runbook } = parseRunbook(
      md('## Remediation', '### Memory growth', '#### Check (~2 min)', '1. Open the dashboard.', '2. Compare RSS with **yesterday**.', '', 'Then tell the channel.', '#### Respond', 'Restart it:', '', `${fence}bash`, 'restart fulfillment', fence),
      'f.md',
    );
    const mode = runbook.failureModes[0]!;
    expect(mode.phases.verify.map((s) => [s.name, s.text, s.manual, s.line])).toEqual([
      ['verify-1', 'Open the dashboard.', true, 4],
      ['verify-2', 'Compare RSS with yesterday.', true, 5],
      ['verify-3', 'Then tell the channel.', true, 7],
    ]);
    expect(mode.estimatesMs).toEqual({ verify: 120_000 });
    expect(mode.phases.respond).toMatchObject([{ manual: false, text: 'Restart it:', command: 'restart fulfillment' }]);
  });

  it('reports a bad alert rule at its line and column, and odd structure as warnings', () => {
    const { runbook, findings } = parseRunbook(
      md('## Failure modes', '### Lag', `${fence}sh`, 'echo loose', fence, '#### Detect', `${fence}alert`, 'lag(group=x) > lots', fence, '#### Wiggle', 'x', '### Lag', '#### Verify', `${fence}alert`, 'lag(group=x) < 5', fence),
      'f.md',
    );
    expect(findings.map((f) => [f.rule, f.line, f.column, f.severity])).toEqual([
      ['step-outside-phase', 3, 1, 'warning'],
      ['alert-syntax', 8, 16, 'error'],
      ['unknown-phase', 10, 1, 'warning'],
      ['duplicate-failure-mode', 12, 1, 'error'],
    ]);
    expect(runbook.failureModes[0]!.alert).toMatchObject({ text: 'lag(group=x) > lots', rule: undefined });
  });
});

describe('robustness', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })), (text) => {
        parseRunbook(text, 'f.md');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on generated Markdown mixing headings, fences, lists and front matter', () => {
    const word = fc.constantFrom('Failure modes', 'Detect', 'Diagnose', 'Respond (~1 min)', 'Verify', 'Escalate', 'Health', 'Overview', 'x {#id}', '', '{#}', 'Lag');
    const info = fc.constantFrom('sh', 'bash', 'console', 'alert', '', 'sh {"name":"a","timeout":"1s"}', 'sh { name=a timeout=x }', 'sh {"name":', 'sh{', 'text');
    const body = fc.constantFrom('echo hi', '$ echo hi \\', '> more', 'lag(group=a) > 1 for 2s', 'throughput(', '', '---');
    const block = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 6 }), word).map(([d, w]) => `${'#'.repeat(d)} ${w}`),
      fc.tuple(info, fc.array(body, { maxLength: 3 }), fc.boolean()).map(([i, b, closed]) => [`${fence}${i}`, ...b, closed ? fence : ''].join('\n')),
      fc.array(fc.tuple(fc.constantFrom('- ', '1. ', '  - '), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 3 }).map((items) => items.map(([m, t]) => m + t).join('\n')),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('---\na: [1\n---', '---\n- x\n---', '---\nk: v\n...'),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 15 }), (blocks) => {
        const { runbook, findings } = parseRunbook(blocks.join('\n\n'), 'f.md');
        for (const f of findings) expect(f.line).toBeGreaterThanOrEqual(1);
        for (const m of runbook.failureModes) expect(m.id).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });
});
