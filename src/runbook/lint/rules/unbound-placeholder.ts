import { destructiveAction } from '../destructive.ts';
import { pageShells, placeholderPattern, type PageShell } from '../page-sources.ts';
import { explainedNames, pageAssigned, placeholderAssignment, valuesExplained } from '../placeholders.ts';
import { effectiveWords } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** Set by every shell or login; a step may use them without anyone binding them. */
const shellNames = new Set(['HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'HOSTNAME', 'TMPDIR', 'RANDOM', 'SECONDS', 'LINENO', 'IFS', 'UID', 'EUID', 'PPID', 'REPLY', 'OPTARG', 'OPTIND', 'BASHPID', 'BASH_SOURCE', 'FUNCNAME', 'PIPESTATUS', 'HOSTTYPE', 'OSTYPE', 'TERM', 'LANG', 'KUBECONFIG', 'EDITOR']);

/**
 * A drill runs each step in its own shell and fills in nothing, so in a drill step every unset
 * `$VAR`, `<pod>` and `{{ x }}` is an error. A person runs the page in one shell and fills in
 * blanks: there only a `$VAR` that nothing on the page sets or explains is reported (a warning;
 * an error where it feeds a destructive command, `rm -rf $DIR/data` with DIR empty), once per
 * name. Blanks on an assignment are placeholder-assignment's.
 */
export const unboundPlaceholder: LintRule = {
  id: 'unbound-placeholder',
  severity: 'error',
  description: 'a $VAR that nothing binds (in a drill step also <var> and {{var}}); once per name',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    const drill = context.profile === 'drill';
    const sources = pageShells(runbook, context.commandExists);
    const assignedOnPage = pageAssigned(sources.filter((s) => !s.inline).map((s) => s.scan));
    const explained = drill ? new Set<string>() : explainedNames(runbook);
    // "$NODE, the node indicated in the alert": said once, it holds for the rest of the page.
    if (!drill) for (const s of sources) if (valuesExplained(s.context)) for (const v of s.scan.variables) if (!dangerousLines(s).has(v.line)) explained.add(v.text);
    const seen = new Set<string>();
    const bound = (name: string) => context.isBound(name) || name in runbook.env || shellNames.has(name);
    const envHint = (name: string) => `bind it in the front matter (env:\\n  ${name}: <value>), or set it in the step (${name}=$(...))`;
    for (const source of sources) {
      const strict = drill && source.drillStep;
      if (source.inline && !drill) continue;
      const dangerous = dangerousLines(source);
      for (const v of source.scan.variables) {
        if (v.hasDefault || source.scan.assigned.has(v.text) || bound(v.text)) continue;
        if (!strict && (assignedOnPage.has(v.text) || explained.has(v.text))) continue;
        const severity = source.inline ? 'warning' : strict || dangerous.has(v.line) ? 'error' : 'warning';
        const key = `$${v.text}:${severity}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const message = strict || source.inline ? `$${v.text} is not bound in ${source.where}` : `nothing on the page sets or explains $${v.text} (${source.where}); pasted, it runs empty${dangerous.has(v.line) ? ' in a destructive command' : ''}`;
        findings.push({ ...source.position(v), severity, message, hint: strict ? envHint(v.text) : `set it above the command (${v.text}=...), or say where its value comes from` });
      }
      if (!strict && !(drill && source.inline)) continue;
      source.text.split('\n').forEach((lineText, line) => {
        const assignments = [...lineText.matchAll(placeholderAssignment)].map((m) => m.index + m[0].length);
        for (const m of lineText.matchAll(placeholderPattern)) {
          if (assignments.some((end) => m.index < end && m.index + m[0].length <= end)) continue;
          const name = /^(?:<|\{\{\s*\.?)([\w.-]+)/.exec(m[0])?.[1] ?? m[0];
          const envName = name.toUpperCase().replace(/[.-]/g, '_');
          if (envName in runbook.env || seen.has(m[0])) continue;
          seen.add(m[0]);
          findings.push({ ...source.position({ line, column: m.index }), severity: source.inline ? 'warning' : 'error', message: `placeholder ${m[0]} in ${source.where} must be filled in by hand`, hint: `write $${envName} and bind ${envName} in the front matter env:` });
        }
      });
    }
    return findings;
  },
};

/** Lines of a source where a destructive command runs: an empty variable there is dangerous. */
function dangerousLines(source: PageShell): Set<number> {
  const lines = new Set<number>();
  for (const command of source.scan.commands) {
    const words = effectiveWords(command.words);
    if (words.length > 0 && destructiveAction(words.map((w) => w.text))) for (const w of command.words) lines.add(w.line);
  }
  return lines;
}
