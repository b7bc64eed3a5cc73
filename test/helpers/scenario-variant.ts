import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from './cli.ts';

/**
 * A copy of a shipped scenario with a few values changed, written to a temp dir. The runbook
 * reference is made absolute so the copy still finds the shipped runbook.
 */
export function scenarioVariant(name: string, edits: Record<string, unknown>, runbookFile?: string): string {
  const source = path.join(repoRoot, 'scenarios', `${name}.yaml`);
  const doc = parseDocument(readFileSync(source, 'utf8'));
  const ref = String(doc.get('runbook'));
  const [file, anchor] = ref.split('#');
  doc.set('runbook', `${runbookFile ?? path.resolve(path.dirname(source), file!)}#${anchor}`);
  for (const [keyPath, value] of Object.entries(edits)) doc.setIn(keyPath.split('.'), value);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-scenario-'));
  const out = path.join(dir, `${name}.yaml`);
  writeFileSync(out, doc.toString());
  return out;
}

/** The shipped runbook with one phase's steps of one failure mode removed (a negative control). */
export function runbookWithoutPhase(phaseHeading: string): string {
  const source = path.join(repoRoot, 'runbooks', 'order-pipeline.md');
  const lines = readFileSync(source, 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^#### ${phaseHeading}`, 'i').test(l));
  if (start < 0) throw new Error(`no "#### ${phaseHeading}" in ${source}`);
  let end = start + 1;
  while (end < lines.length && !/^#{2,4} /.test(lines[end]!)) end++;
  const kept = [...lines.slice(0, start + 1), '', `(Removed for a negative control: nothing is done here.)`, '', ...lines.slice(end)];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-runbook-'));
  const out = path.join(dir, 'order-pipeline.md');
  writeFileSync(out, kept.join('\n'));
  return out;
}
