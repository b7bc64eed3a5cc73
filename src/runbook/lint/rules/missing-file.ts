import path from 'node:path';
import { shellSources } from '../blocks.ts';
import type { ShellWord } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

const scriptLike = /^[\w.-]+(\/[\w.-]+)+\.(sh|bash|py|rb|js|mjs|ts|pl|ya?ml|json|sql|jq|properties|conf|cfg|txt|env|md)$/;

/** A word that names a file relative to the runbook: ./x, ../x, or dir/x.ext. */
export function relativePath(word: string): string | undefined {
  const value = word.replace(/^--?[\w-]+=/, '');
  if (!value || /[$`*?{}~:]/.test(value) || value.startsWith('/')) return undefined;
  if (/^\.{1,2}\//.test(value) || scriptLike.test(value)) return value;
  return undefined;
}

export const missingFile: LintRule = {
  id: 'missing-file',
  severity: 'error',
  description: 'a step or link refers to a script or file that does not exist next to the runbook',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const report = (rel: string, where: { line: number; column: number }, message: string, severity?: 'warning') => {
      const key = `${where.line}:${where.column}`;
      if (seen.has(key) || context.fileExists(path.resolve(context.baseDir, rel))) return;
      seen.add(key);
      findings.push({ ...where, severity, message, hint: `add ${rel} next to the runbook (paths resolve against ${path.basename(context.baseDir) || '.'}/), or fix the path` });
    };
    for (const source of shellSources(runbook)) {
      for (const command of source.scan.commands) {
        const words: ShellWord[] = [...command.words, ...command.redirects];
        for (const word of words) {
          const rel = relativePath(word.text);
          if (rel) report(rel, source.position(word), `${rel} (${source.placed.where}) does not exist`);
        }
      }
    }
    for (const link of runbook.links) {
      const target = link.text.replace(/[#?].*$/, '');
      if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) continue;
      report(safeDecode(target), link, `linked file ${target} does not exist`, 'warning');
    }
    return findings;
  },
};

function safeDecode(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}
