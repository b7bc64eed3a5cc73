import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { baseImageTag } from '../../src/infra/docker/images/base-image.ts';
import { repoRoot } from './cli.ts';
import { tempDir } from './temp-dir.ts';

/**
 * A copy of a shipped scenario with a few values changed, written to a temp dir. The runbook
 * reference is made absolute so the copy still finds the shipped runbook.
 */
export function scenarioVariant(name: string, edits: Record<string, unknown>, runbookFile?: string, from = 'scenarios'): string {
  const source = path.join(repoRoot, from, `${name}.yaml`);
  const doc = parseDocument(readFileSync(source, 'utf8'));
  const ref = String(doc.get('runbook'));
  const [file, anchor] = ref.split('#');
  doc.set('runbook', `${runbookFile ?? path.resolve(path.dirname(source), file!)}#${anchor}`);
  // The fleet file too: the copy lives elsewhere, and its path is relative to the scenario.
  const fleet = doc.get('fleet');
  if (typeof fleet === 'string') doc.set('fleet', path.resolve(path.dirname(source), fleet));
  else if (typeof doc.getIn(['fleet', 'file']) === 'string') doc.setIn(['fleet', 'file'], path.resolve(path.dirname(source), String(doc.getIn(['fleet', 'file']))));
  for (const [keyPath, value] of Object.entries(edits)) doc.setIn(keyPath.split('.'), value);
  const dir = tempDir('agentdrill-scenario-');
  const out = path.join(dir, `${name}.yaml`);
  writeFileSync(out, doc.toString());
  return out;
}

/**
 * What a drill of the order pipeline's fleet file needs here under `--provider docker`: no registry
 * answers, so its image is built on agentdrill's own Debian base (the Dockerfile's BASE).
 */
export const orderPipelineDockerEnv = (): NodeJS.ProcessEnv => ({ ORDER_PIPELINE_BASE: baseImageTag() });

/**
 * The shipped runbook with one phase's steps of one failure mode removed (a negative control).
 * `failureMode` is the mode's heading id (`state-corruption`); without it, the first matching
 * phase heading in the file is stripped (the first failure mode's).
 */
export function runbookWithoutPhase(phaseHeading: string, failureMode?: string): string {
  const source = path.join(repoRoot, 'runbooks', 'order-pipeline.md');
  const lines = readFileSync(source, 'utf8').split('\n');
  let from = 0;
  let until = lines.length;
  if (failureMode !== undefined) {
    from = lines.findIndex((l) => /^### /.test(l) && headingId(l) === failureMode);
    if (from < 0) throw new Error(`no "### " failure mode with id "${failureMode}" in ${source}`);
    const next = lines.findIndex((l, i) => i > from && /^#{2,3} /.test(l));
    until = next < 0 ? lines.length : next;
  }
  const offset = lines.slice(from, until).findIndex((l) => new RegExp(`^#### ${phaseHeading}`, 'i').test(l));
  if (offset < 0) throw new Error(`no "#### ${phaseHeading}" ${failureMode ? `under #${failureMode} ` : ''}in ${source}`);
  const start = from + offset;
  let end = start + 1;
  while (end < lines.length && !/^#{2,4} /.test(lines[end]!)) end++;
  const kept = [...lines.slice(0, start + 1), '', `(Removed for a negative control: nothing is done here.)`, '', ...lines.slice(end)];
  const dir = tempDir('agentdrill-runbook-');
  const out = path.join(dir, 'order-pipeline.md');
  writeFileSync(out, kept.join('\n'));
  return out;
}

/** GitHub-style heading id: "### State corruption" → "state-corruption". */
function headingId(line: string): string {
  return line
    .replace(/^#+\s*/, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
