import { allBlocks } from '../blocks.ts';
import { looksLikeCommand } from '../page-sources.ts';
import { scanShell } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

export const inlineCommand: LintRule = {
  id: 'inline-command',
  severity: 'warning',
  profiles: ['drill'],
  description: 'a command written only inline in prose, which a drill cannot run or time',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    for (const { block, where, phase } of allBlocks(runbook)) {
      // Detect and Escalate prose is for people (an alert, a call); inline code there is a reference.
      if (!block.manual || phase === 'detect' || phase === 'escalate') continue;
      const code = block.inline.find((c) => looksLikeCommand(scanShell(c.text), context.commandExists));
      if (!code) continue;
      findings.push({ line: code.line, column: code.column, message: `\`${code.text.slice(0, 60)}\` (${where}) is a command inside prose, so it is a manual step`, hint: 'put it in its own ```sh block under the phase heading, so a drill runs and times it' });
    }
    return findings;
  },
};

