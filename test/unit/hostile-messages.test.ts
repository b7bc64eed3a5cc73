import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentdrillError, displayLimits, displayText, formatProblem } from '../../src/core/errors.ts';
import { formatError, main } from '../../src/cli/main.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const shipped = readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8');
const file = path.join(root, 'scenarios', 'messages.yaml');

// C0 (but the newline the message is made of), DEL and C1: what a terminal acts on.
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function scenarioError(text: string): AgentdrillError | undefined {
  try {
    validateScenarioText(text, file);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(AgentdrillError);
    return e as AgentdrillError;
  }
}

/** Printed as the CLI prints it: safe for a terminal, and of bounded size. */
function expectSafe(printed: string): void {
  expect(printed).not.toMatch(rawControl);
  for (const line of printed.split('\n')) expect(line.length).toBeLessThan(displayLimits.line * 1.2 + 100);
}

describe('messages echo no terminal controls and no huge values', () => {
  it('ESC and OSC sequences in a scenario name and a key come out escaped', () => {
    const text = shipped.replace('name: downstream-backlog', 'name: "\u001b]0;pwned\u0007\u001b[31mred"').replace('timeLimit: 4m', 'timeLimit: 4m\n"\u001b[2Jkey\u009b": 1');
    const error = scenarioError(text)!;
    expect(error.code).toBe('SCENARIO_INVALID');
    const printed = formatError(error);
    expectSafe(printed);
    expect(printed).toContain('\\x1b]0;pwned\\x07');
    expect(printed).toContain('\\x9b');
  });

  it('a 400 KB value is cut to its first characters, saying how many more there were', () => {
    const huge = 'x'.repeat(400_000);
    const printed = formatProblem({ file, line: 1, message: `name: "${huge}" is not valid`, hint: `got "${huge}"` });
    expectSafe(printed);
    expect(printed).toContain(`…(${400_000 - displayLimits.quoted} more characters)`);
    expect(printed.length).toBeLessThan(1000);
    const error = new AgentdrillError('USAGE', `--provider "${huge}\u001b[0m" is not a provider`, { hint: huge });
    expectSafe(formatError(error));
  });

  it('bidi controls and line separators are escaped too', () => {
    expect(displayText('a\u202eb\u2028c\u2066d')).toBe('a\\u{202e}b\\u{2028}c\\u{2066}d');
    expect(displayText('line one\nline two')).toBe('line one\nline two');
  });

  it('property: control characters and long strings anywhere in scenario values', { timeout: 30_000 }, () => {
    const control = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((c) => String.fromCharCode(c));
    const hostile = fc.oneof(
      fc.array(fc.oneof(control, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
      fc.tuple(control, fc.integer({ min: 300, max: 5000 })).map(([c, n]) => c.repeat(n)),
    );
    const slots = ['name: downstream-backlog', 'rate: 60/s', 'target: inventory-api', 'baseline: 60s', '- lag(group=inventory) < 200', 'timeLimit: 4m'];
    fc.assert(
      fc.property(fc.constantFrom(...slots), hostile, fc.boolean(), (slot, value, asKey) => {
        const [key] = slot.split(': ');
        const replacement = asKey ? `${slot}\n${JSON.stringify(value)}: 1` : `${key}: ${JSON.stringify(value)}`;
        const error = scenarioError(shipped.replace(slot, replacement));
        if (!error) return;
        expect(error.problems.length).toBeGreaterThan(0);
        for (const p of error.problems) {
          expect(p.file).toBe(file);
          expect(p.line).toBeGreaterThanOrEqual(1);
        }
        expectSafe(formatError(error));
      }),
      { numRuns: 150 },
    );
  });
});

describe('validate prints runbook findings safely', () => {
  it('a heading with ESC in it is escaped in the text output', async () => {
    const dir = tempDir('agentdrill-messages-');
    const runbook = path.join(dir, 'esc.md');
    writeFileSync(runbook, '# T\n## Failure modes\n### Lag\n#### Bogus \u001b[31mred\u001b[0m\n');
    let out = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
    const code = await main(['node', 'agentdrill', 'validate', runbook], { stdout: sink, stderr: sink });
    expect(code).toBe(1);
    expect(out).toContain('\\x1b[31m');
    expectSafe(out);
  });
});
