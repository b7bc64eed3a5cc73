import { confirms, destructiveAction, statementAction } from '../destructive.ts';
import { pageShells, type PageShell } from '../page-sources.ts';
import { effectiveWords } from '../shell.ts';
import type { LintContext, LintRule, RuleFinding } from '../types.ts';

export { destructiveAction } from '../destructive.ts';

export const destructiveUnguarded: LintRule = {
  id: 'destructive-unguarded',
  severity: 'error',
  description: 'a destructive command (delete, scale to zero, rm -r, DROP, curl -X DELETE, offset reset, topic delete) has no guard attribute and no confirmation next to it',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    for (const source of pageShells(runbook, context.commandExists)) {
      if (isGuarded(source, context)) continue;
      // One finding per block: the defect is the block's missing guard, however many commands it has.
      const hits = source.scan.commands.flatMap((command) => {
        const words = effectiveWords(command.words);
        const action = destructiveAction(words.map((w) => w.text));
        // "# Only if the broker is gone for good:" just above the command guards it.
        return action && !confirms(commentsAbove(source.text, words[0]!.line)) ? [{ first: words[0]!, action }] : [];
      });
      if (hits.length > 0) findings.push(finding(source, hits[0]!.first, hits[0]!.action + (hits.length > 1 ? ` (and ${hits.length - 1} more destructive command${hits.length > 2 ? 's' : ''} in the block)` : ''), context));
      for (const statement of source.block?.statements ?? []) {
        const action = statementAction(statement.text);
        if (action) findings.push({ line: statement.line, column: statement.column, message: `\`${clip(statement.text)}\` (${source.where}) ${action} with no guard or confirmation`, hint: hint(source) });
      }
    }
    // A page block of statements only (```sql) has no shell text; look at it too.
    for (const page of runbook.page.blocks) {
      if (page.block.command || isGuardedBlock(page.block.attributes.guard, page.context, page.near)) continue;
      for (const statement of page.statements) {
        const action = statementAction(statement.text);
        if (action) findings.push({ line: statement.line, column: statement.column, message: `\`${clip(statement.text)}\` (${page.where}) ${action} with no guard or confirmation`, hint: 'say before it what must be true first ("Only after a backup: ..."), or add guard="..." to the fence' });
      }
    }
    return findings;
  },
};

/**
 * A fence's guard attribute guards it anywhere. On the on-call profile a confirmation in the
 * prose around the command does too: a person reads it. A drill runs steps unattended, so its
 * own steps need the attribute.
 */
function isGuarded(source: PageShell, context: LintContext): boolean {
  if (typeof source.guard === 'string' && source.guard.trim()) return true;
  if (source.drillStep && context.profile === 'drill') return false;
  return confirms(source.context, source.near);
}

function isGuardedBlock(guard: unknown, around: string, near: string): boolean {
  return (typeof guard === 'string' && guard.trim() !== '') || confirms(around, near);
}

function finding(source: PageShell, first: { line: number; column: number; text: string }, action: string, context: LintContext): RuleFinding {
  const line = source.text.split('\n')[first.line] ?? first.text;
  return { ...source.position(first), message: `\`${clip(line.trim())}\` (${source.where}) ${action} with no guard or confirmation`, hint: source.guard === true ? 'write what on-call must confirm first: { guard="lag is not draining after scale-out" }' : hint(source, context) };
}

function hint(source: PageShell, context?: LintContext): string {
  if (source.drillStep && context?.profile === 'drill') return `add a guard to the fence: \`\`\`${source.block?.block.lang ?? 'sh'} { guard="<what must be true first>" }`;
  return 'say before it what must be true first ("Only if lag is still growing after scale-out; confirm with the owner"), or add guard="..." to the fence';
}

/** The block's comment lines above line `line`, back to the previous command. */
function commentsAbove(text: string, line: number): string {
  const lines = text.split('\n').slice(0, line);
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && /^\s*(#|$)/.test(lines[i]!); i--) out.unshift(lines[i]!.replace(/^\s*#\s?/, ''));
  return out.join('\n');
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
