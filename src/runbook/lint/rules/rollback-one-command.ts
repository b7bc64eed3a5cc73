import { scanShell } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** Words that say who may decide a rollback. */
const decider = /\b(may|decides?|approv\w*|owner|on-?call|lead|authori[sz]\w*|permission)\b/i;

export const rollbackOneCommand: LintRule = {
  id: 'rollback-one-command',
  severity: 'error',
  description: 'rollback is not exactly one command (a project plan cannot be run at 3 a.m.), or does not say who decides',
  check(runbook) {
    const rollback = runbook.rollback;
    if (!rollback) return [];
    const findings: RuleFinding[] = [];
    const commands = rollback.blocks.flatMap((b) =>
      b.lang === 'check' ? [{ line: b.line }] : scanShell(b.command ?? '').commands.filter((c) => c.words.length > 0 && !c.piped && !c.nested).map((c) => ({ line: b.sourceMap[c.words[0]!.line]?.line ?? b.line })),
    );
    if (commands.length === 0) {
      findings.push({ line: rollback.line, column: 1, severity: 'warning', message: 'rollback has no command; on-call must work it out under pressure', hint: 'write the one command in a ```sh block' });
    } else if (commands.length > 1) {
      findings.push({
        line: commands[1]!.line,
        column: 1,
        message: `rollback is ${commands.length} commands; it should be one`,
        hint: 'wrap the sequence in one script or tool call (e.g. ./scripts/rollback.sh), so rolling back is one decision and one command',
      });
    }
    if (!decider.test(rollback.text)) {
      findings.push({ line: rollback.line, column: 1, severity: 'warning', message: 'rollback does not say who may decide it', hint: 'add a sentence: "The on-call engineer may roll back on their own."' });
    }
    return findings;
  },
};
