import { pageShells } from '../page-sources.ts';
import { placeholderAssignment } from '../placeholders.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/**
 * `NODE_NAME=<from the alert>` pasted as it is runs `NODE_NAME=` with input from a file called
 * "from", and every later `$NODE_NAME` is empty: `kubectl drain $NODE_NAME` then acts on
 * whatever an empty name means. The defect is the blank on the assignment, reported there.
 */
export const placeholderAssignmentRule: LintRule = {
  id: 'placeholder-assignment',
  severity: 'error',
  description: 'a variable is set to a placeholder (X=<from the alert>, X=CHANGEME): pasted, everything after it runs with a broken value',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    for (const source of pageShells(runbook, context.commandExists)) {
      source.text.split('\n').forEach((line, index) => {
        for (const m of line.matchAll(placeholderAssignment)) {
          const column = m.index + m[0].indexOf(`${m[2]}=`, m[1]!.length);
          findings.push({
            ...source.position({ line: index, column }),
            message: `${m[2]} is set to the placeholder ${m[4]} (${source.where}); pasted as written, what follows runs with it broken`,
            hint: `fill it in, or set it from a command that finds it: ${m[2]}=$(kubectl get … -o name)`,
          });
        }
      });
    }
    return findings;
  },
};
