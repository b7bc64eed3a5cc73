import { commandNotFound } from './rules/command-not-found.ts';
import { contactUnreachable } from './rules/contact-unreachable.ts';
import { destructiveUnguarded } from './rules/destructive-unguarded.ts';
import { escalationUnreachable } from './rules/escalation-unreachable.ts';
import { failureModeIncomplete } from './rules/failure-mode-incomplete.ts';
import { fleetNamesRule } from './rules/fleet-names.ts';
import { inlineCommand } from './rules/inline-command.ts';
import { missingFile } from './rules/missing-file.ts';
import { missingSection } from './rules/missing-section.ts';
import { placeholderAssignmentRule } from './rules/placeholder-assignment.ts';
import { rollbackOneCommand } from './rules/rollback-one-command.ts';
import { stepNoTime } from './rules/step-no-time.ts';
import { thresholdIncomplete } from './rules/threshold-incomplete.ts';
import { todoStep } from './rules/todo-step.ts';
import { unboundPlaceholder } from './rules/unbound-placeholder.ts';
import type { LintRule } from './types.ts';

/**
 * Every lint rule by id, as k6 keys its executors: a new rule is one file and one line here.
 * The order is the order of the docs (docs/runbook-format.md).
 */
export const lintRules: ReadonlyMap<string, LintRule> = new Map(
  [
    missingSection,
    failureModeIncomplete,
    thresholdIncomplete,
    unboundPlaceholder,
    commandNotFound,
    missingFile,
    escalationUnreachable,
    rollbackOneCommand,
    destructiveUnguarded,
    placeholderAssignmentRule,
    todoStep,
    contactUnreachable,
    stepNoTime,
    inlineCommand,
    fleetNamesRule,
  ].map((rule) => [rule.id, rule]),
);
