import type { EventPayloads } from '../core/events.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { formatOffset, secondsOrDash } from './format.ts';

export interface StepRow {
  index: number;
  name: string;
  section: string;
  command: string | undefined;
  manual: boolean;
  offset: string;
  duration: string;
  exitCode: string;
  status: 'ok' | 'failed' | 'timeout' | 'manual' | 'unfinished';
  timedOut: boolean;
  output: string;
  outputLines: number;
}

// Enough for any diagnostic a person reads; a runaway step must not make a 50 MB report.
const maxOutputChars = 64_000;

/**
 * One row per started step, in order. A step with no `step.finished` (the drill was interrupted)
 * still shows, marked unfinished, because that is often the interesting one.
 */
export function stepRows(events: readonly JournalEvent[], origin: number): StepRow[] {
  const finished = eventsOfType(events, 'step.finished').map((e) => e.payload);
  const used = new Set<number>();
  const byName = finishedByName(finished);
  const started = eventsOfType(events, 'step.started');
  // Finished steps with no started event (older journals) still deserve a row.
  const rows = started.map((s, i) => {
    const f = byName.get(s.payload.name)?.take((j) => finished[j]!.startedAt >= s.at - 1);
    if (f !== undefined) used.add(f);
    return row(i + 1, f === undefined ? undefined : finished[f]!, s.payload, s.at, origin);
  });
  finished.forEach((p, j) => {
    if (!used.has(j)) rows.push(row(rows.length + 1, p, p, p.startedAt, origin));
  });
  return rows;
}

/**
 * Finished steps per name, in journal order, each taken at most once. Taken entries at the head
 * are skipped for good, so pairing a long journal's steps stays linear instead of rescanning.
 */
function finishedByName(finished: readonly Finished[]): Map<string, { take(fits: (j: number) => boolean): number | undefined }> {
  const lists = new Map<string, number[]>();
  finished.forEach((p, j) => {
    let list = lists.get(p.name);
    if (!list) lists.set(p.name, (list = []));
    list.push(j);
  });
  const queues = new Map<string, { take(fits: (j: number) => boolean): number | undefined }>();
  for (const [name, list] of lists) {
    const taken = new Set<number>();
    let head = 0;
    queues.set(name, {
      take(fits) {
        while (head < list.length && taken.has(head)) head++;
        for (let k = head; k < list.length; k++) {
          if (taken.has(k) || !fits(list[k]!)) continue;
          taken.add(k);
          return list[k];
        }
        return undefined;
      },
    });
  }
  return queues;
}

type StepBase = { name: string; section: string; command: string | undefined; manual: boolean };
type Finished = EventPayloads['step.finished'];

function row(index: number, f: Finished | undefined, base: StepBase, startedAt: number, origin: number): StepRow {
  const output = clip(f?.output ?? '');
  return {
    index,
    name: base.name,
    section: base.section,
    command: base.command,
    manual: base.manual,
    offset: formatOffset(startedAt - origin),
    duration: f ? secondsOrDash(f.endedAt - f.startedAt) : '—',
    exitCode: f?.exitCode === null || f?.exitCode === undefined ? '—' : String(f.exitCode),
    status: status(f, base.manual),
    timedOut: f?.timedOut ?? false,
    output,
    outputLines: output === '' ? 0 : output.replace(/\n$/, '').split('\n').length,
  };
}

function status(f: Finished | undefined, manual: boolean): StepRow['status'] {
  if (!f) return 'unfinished';
  if (f.timedOut) return 'timeout';
  if (manual) return 'manual';
  return f.exitCode === 0 ? 'ok' : 'failed';
}

function clip(output: string): string {
  if (output.length <= maxOutputChars) return output;
  const half = maxOutputChars / 2;
  return `${output.slice(0, half)}\n… ${output.length - maxOutputChars} characters elided …\n${output.slice(-half)}`;
}
