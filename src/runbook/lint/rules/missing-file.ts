import path from 'node:path';
import { pageShells } from '../page-sources.ts';
import type { ShellWord } from '../shell.ts';
import type { LintContext, LintRule, RuleFinding } from '../types.ts';

const scriptLike = /^[\w.-]+(\/[\w.-]+)+\.(sh|bash|py|rb|js|mjs|ts|pl|ya?ml|json|sql|jq|properties|conf|cfg|txt|env|md)$/;

/** A word that names a file relative to the runbook: ./x, ../x, or dir/x.ext. */
export function relativePath(word: string): string | undefined {
  const value = word.replace(/^--?[\w-]+=/, '');
  // A path holding a blank to fill in (`<pod>`, masked as ___) names no file yet.
  if (!value || /[$`*?{}~:]|___/.test(value) || value.startsWith('/')) return undefined;
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
    for (const source of pageShells(runbook, context.commandExists)) {
      for (const command of source.scan.commands) {
        const words: ShellWord[] = [...command.words, ...command.redirects];
        for (const word of words) {
          const rel = relativePath(word.text);
          if (!rel || (source.remote(word.line) && !/^\.{1,2}\//.test(rel))) continue;
          // "scripts/x.sh" may be written from the repository's root; "./x" means here.
          if (!/^\.{1,2}\//.test(rel) && !(context.profile === 'drill' && source.drillStep)) {
            if (!existsAbove(context, rel)) report(rel, source.position(word), `${rel} (${source.where}) does not exist next to the runbook or in a folder above it`, 'warning');
            continue;
          }
          report(rel, source.position(word), `${rel} (${source.where}) does not exist`);
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

/** Whether the file exists relative to the runbook's folder or any folder above it. */
function existsAbove(context: LintContext, rel: string): boolean {
  for (let dir = context.baseDir, i = 0; i < 12; i++) {
    if (context.fileExists(path.resolve(dir, rel))) return true;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return false;
}
