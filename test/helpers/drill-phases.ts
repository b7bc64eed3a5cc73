import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { JournalFile } from '../../src/core/journal.ts';

/** One drill a test ran: where its wall time went, phase by phase, read from its journal. */
export interface DrillPhases {
  file: string;
  test: string;
  scenario: string;
  wallMs: number;
  /** Seconds per phase; `cli` is the wall time outside the journal (start-up, report, exit). */
  phases: Record<string, number>;
}

/**
 * Appends the drill's phases to the run's file (AGENTDRILL_DRILL_PHASES, set by scripts/test.mjs),
 * which the file-times reporter sums at the end: the suite's time budget is drill time, and a
 * phase that grew (a longer warm-up, a slower teardown) shows there, not only a file that grew.
 */
export function recordDrillPhases(journal: JournalFile, wallMs: number): void {
  const out = process.env.AGENTDRILL_DRILL_PHASES;
  if (!out) return;
  const { events } = journal;
  const phases: Record<string, number> = {};
  let open: { phase: string; at: number } | undefined;
  for (const e of events) {
    if (e.type !== 'phase.started') continue;
    const phase = (e.payload as { phase: string }).phase;
    if (open) phases[open.phase] = (phases[open.phase] ?? 0) + (e.at - open.at);
    open = { phase, at: e.at };
  }
  const last = events.at(-1);
  if (open && last) phases[open.phase] = (phases[open.phase] ?? 0) + (last.at - open.at);
  const span = events.length > 0 ? events.at(-1)!.at - events[0]!.at : 0;
  phases.cli = Math.max(0, wallMs - span);
  const state = expect.getState();
  const started = events.find((e) => e.type === 'drill.started')?.payload as { scenario?: { name?: string } } | undefined;
  const record: DrillPhases = {
    file: path.relative(process.cwd(), state.testPath ?? 'unknown'),
    test: state.currentTestName ?? '',
    scenario: started?.scenario?.name ?? '?',
    wallMs,
    phases,
  };
  appendFileSync(out, JSON.stringify(record) + '\n');
}
