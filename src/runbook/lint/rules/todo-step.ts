import type { LintRule, RuleFinding } from '../types.ts';

/** Words people leave where a step should be. Upper-case only: "todo" in a sentence is prose. */
const todo = /\b(TODO|TBD|FIXME)\b|\bfill (this|me) in\b|\bto be (written|added|documented)\b/;
/** "Last tested: TBD" is a page's metadata, not a step left to write. */
const metadata = /^[\w ./-]{1,40}:\s*(TODO|TBD|FIXME)\b/;

/**
 * A step nobody wrote: TODO/TBD/FIXME in the prose or in a block's comments, an empty list item,
 * a "## Mitigation" with nothing under it. At 3 a.m. it is the step on-call needed.
 */
export const todoStep: LintRule = {
  id: 'todo-step',
  severity: 'error',
  description: 'a TODO/TBD/FIXME left in a step, an empty list item, or a Diagnosis/Mitigation heading with nothing under it',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    for (const prose of runbook.page.prose) {
      const m = todo.exec(prose.text);
      const line = m ? prose.text.slice(prose.text.lastIndexOf('\n', m.index) + 1) : '';
      if (m && !metadata.test(line) && !/\|/.test(prose.text)) findings.push({ line: prose.line + (prose.text.slice(0, m.index).match(/\n/g)?.length ?? 0), column: prose.column, message: `"${clip(prose.text)}" (${prose.where}) is a step left to write`, hint: 'write the step, or remove it and say what to do instead' });
    }
    for (const { block, where } of runbook.page.blocks) {
      (block.command ?? '').split('\n').forEach((line, index) => {
        const comment = /(^|\s)#.*$/.exec(line);
        if (!comment || !todo.test(comment[0])) return;
        const origin = block.sourceMap[index] ?? { line: block.line, column: 1 };
        findings.push({ line: origin.line, column: origin.column + comment.index + comment[1]!.length, message: `a step left to write in ${where}: ${clip(comment[0].trim())}`, hint: 'write the command, or remove the comment and say what to do instead' });
      });
    }
    for (const empty of runbook.page.empty) {
      if (empty.text) {
        // The drill profile reports an empty phase as failure-mode-incomplete; once is enough.
        if (context.profile === 'drill' && runbook.failureModes.some((m) => Object.values(m.headings).includes(empty.line))) continue;
        findings.push({ ...empty, message: `"${empty.text}" has nothing under it`, hint: `write what on-call does under "${empty.text}", or remove the heading` });
      } else findings.push({ ...empty, severity: 'warning', message: 'an empty list item: a step nobody wrote', hint: 'write the step, or remove the item' });
    }
    return findings;
  },
};

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
