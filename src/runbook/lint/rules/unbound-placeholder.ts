import { shellSources } from '../blocks.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** Set by every shell or login; a step may use them without anyone binding them. */
const shellNames = new Set(['HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'HOSTNAME', 'TMPDIR', 'RANDOM', 'SECONDS', 'LINENO', 'IFS', 'UID', 'EUID', 'PPID', 'REPLY', 'OPTARG', 'OPTIND', 'BASHPID', 'BASH_SOURCE', 'FUNCNAME', 'PIPESTATUS', 'HOSTTYPE', 'OSTYPE', 'TERM', 'LANG']);
/** `<pod-name>` and `{{ .run_id }}`: text someone must replace by hand before running. */
const templates = [/<([A-Za-z][\w.-]*)>/g, /\{\{\s*\.?([\w.-]+)\s*\}\}/g];

export const unboundPlaceholder: LintRule = {
  id: 'unbound-placeholder',
  severity: 'error',
  description: 'a $VAR, ${VAR}, <var> or {{var}} that neither the drill environment nor front matter env: binds',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    const bound = (name: string) => context.boundNames.has(name) || name in runbook.env || shellNames.has(name);
    const envHint = (name: string) => `bind it in the front matter (env:\\n  ${name}: <value>), or set it in the step (${name}=$(...))`;
    for (const source of shellSources(runbook)) {
      // Inline code is pasted by a person, who can fill a blank in; a drill cannot.
      const severity = source.inline ? 'warning' : 'error';
      for (const v of source.scan.variables) {
        if (v.hasDefault || source.scan.assigned.has(v.text) || bound(v.text)) continue;
        findings.push({ ...source.position(v), severity, message: `$${v.text} is not bound in ${source.placed.where}`, hint: envHint(v.text) });
      }
      source.text.split('\n').forEach((lineText, line) => {
        for (const pattern of templates) {
          for (const m of lineText.matchAll(pattern)) {
            const name = m[1]!;
            const envName = name.toUpperCase().replace(/[.-]/g, '_');
            if (envName in runbook.env) continue;
            findings.push({
              ...source.position({ line, column: m.index }),
              severity,
              message: `placeholder ${m[0]} in ${source.placed.where} must be filled in by hand`,
              hint: `write $${envName} and bind ${envName} in the front matter env:`,
            });
          }
        }
      });
    }
    return findings;
  },
};
