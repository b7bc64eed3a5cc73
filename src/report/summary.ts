import type { Score } from '../core/events.ts';
import { formatSeconds } from '../score/format.ts';
import { secondsOrDash } from './format.ts';
import { overrideText, versionsText, type ReleaseRecord } from './release-view.ts';
import { responderLines } from './responder-view.ts';

export interface ReportPaths {
  journal?: string | undefined;
  report?: string | undefined;
}

/** The end-of-drill summary for the terminal, one string per line (no trailing newlines, no colour). */
export function renderSummary(score: Score, paths: ReportPaths, release?: ReleaseRecord): string[] {
  const lines = [`verdict: ${score.verdict.toUpperCase()}`];
  // A CI log reads which release the verdict is about without opening the report.
  if (release) lines.push(`  release:   ${versionsText(release.versions)}${release.overrides.length ? ` (--set ${release.overrides.map(overrideText).join(' ')})` : ''}`);
  const bound = score.detectLowerBoundMs === undefined ? '' : `, lower bound ${formatSeconds(score.detectLowerBoundMs)}`;
  lines.push(`  detect:    ${figure(score.ttdMs, score.targets.detectMs)}${bound}`);
  lines.push(`  recover:   ${figure(score.ttrMs, score.targets.recoverMs)}`);
  const i = score.integrity;
  lines.push(
    i
      ? `  integrity: produced ${i.produced}, processed ${i.processed ?? 'unknown'}, lost ${i.lost ?? 'unknown'}, duplicated ${i.duplicated ?? 'unknown'}, invalid ${i.invalid}${i.why ? ` (${i.why})` : ''}`
      : '  integrity: no report',
  );
  // What could make the loss figures wrong sits next to them, not only in the journal.
  for (const caution of i?.cautions ?? []) lines.push(`    caution: ${caution}`);
  if (score.responder) {
    const [head, ...rest] = responderLines(score.responder);
    lines.push(`  responder: ${head}`, ...rest.map((l) => `    ${l}`));
  }
  for (const reason of score.reasons) lines.push(`  - ${reason}`);
  if (paths.journal) lines.push(`journal: ${paths.journal}`);
  if (paths.report) lines.push(`report:  ${paths.report}`);
  return lines;
}

function figure(ms: number | undefined, targetMs: number): string {
  const mark = ms === undefined ? 'not measured' : ms <= targetMs ? 'ok' : 'MISSED';
  return `${secondsOrDash(ms)} (target ${formatSeconds(targetMs)}, ${mark})`;
}
