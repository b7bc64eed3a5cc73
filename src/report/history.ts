import { appendFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Verdict } from '../core/exit-codes.ts';
import { fileLimits, readUserFile } from '../core/user-file.ts';
import { eventsOfType, type JournalEvent } from '../core/journal.ts';
import { scoreDrill } from '../score/index.ts';
import { releaseOf } from './release-view.ts';

/** One drill's scores, one JSON line in `<reportsDir>/history.jsonl`: the quarterly-drill view. */
export interface HistoryEntry {
  scenario: string;
  drillId: string;
  /** Drill start, ISO 8601. */
  at: string;
  verdict: Verdict;
  /** null, not absent, when never measured: every line has every key. */
  ttdMs: number | null;
  ttrMs: number | null;
  targets: { detectMs: number; recoverMs: number };
  /** The fleet file's agents → the release drilled (null: unknown); absent in lines from before the release gate. */
  versions?: Record<string, string | null>;
  /** `--set` as written; absent when none. */
  overrides?: { path: string; value: string }[];
  /** Who responded (script, agent, human); absent in lines from before responders. */
  responder?: string;
  /** When the response happened, from injection: the page and each step's start; a game day's report sets a person's times beside these. */
  timeline?: ResponseTimes;
}

export interface ResponseTimes {
  pagedMs?: number;
  steps: { name: string; atMs: number }[];
}

export const historyFileName = 'history.jsonl';

/**
 * Appends one line. One appendFile is one write(2) to a file opened O_APPEND, which lands whole
 * on local file systems, so drills finishing together do not interleave their lines.
 */
export async function appendHistory(reportsDir: string, entry: HistoryEntry): Promise<string> {
  await mkdir(reportsDir, { recursive: true });
  const file = join(reportsDir, historyFileName);
  await appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8');
  return file;
}

/**
 * This scenario's past drills, oldest first, one per drill id (the last line wins, so a
 * re-scored drill replaces its old figures). A missing file is an empty history; a damaged line
 * (a drill killed mid-write, a hand edit) is skipped rather than costing every later report its
 * trend. A history that is not a regular file (a folder, a FIFO) or over its size cap is
 * INPUT_UNREADABLE: reading a FIFO would wait forever for a writer.
 */
export async function readHistory(reportsDir: string, scenario: string): Promise<HistoryEntry[]> {
  const file = join(reportsDir, historyFileName);
  // Only "not there" is an empty history; a folder or a pipe in its place is the user's to fix.
  const exists = await stat(file).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
  if (!exists) return [];
  const text = await readUserFile(file, { kind: 'history', maxBytes: fileLimits.history, hint: `remove or rename ${file}; the next drill starts a new history` });
  const byDrill = new Map<string, HistoryEntry>();
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (entry?.scenario === scenario) byDrill.set(entry.drillId, entry);
  }
  return sortByTime([...byDrill.values()]);
}

/** The history line for a finished drill, from its journal alone; undefined without drill.started. */
export function historyEntryFromJournal(events: readonly JournalEvent[]): HistoryEntry | undefined {
  const started = eventsOfType(events, 'drill.started')[0];
  if (!started) return undefined;
  const score = eventsOfType(events, 'score').at(-1)?.payload ?? scoreDrill(events);
  const release = releaseOf(started.payload);
  return {
    scenario: started.payload.scenario.name,
    drillId: started.payload.drillId,
    at: new Date(started.at).toISOString(),
    verdict: score.verdict,
    ttdMs: score.ttdMs ?? null,
    ttrMs: score.ttrMs ?? null,
    targets: { detectMs: score.targets.detectMs, recoverMs: score.targets.recoverMs },
    ...(release ? { versions: release.versions } : {}),
    ...(release?.overrides.length ? { overrides: release.overrides } : {}),
    ...(score.responder ? { responder: score.responder.type } : {}),
    ...responseTimes(events),
  };
}

function responseTimes(events: readonly JournalEvent[]): { timeline?: ResponseTimes } {
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const paged = eventsOfType(events, 'responder.paged')[0];
  if (t0 === undefined || !paged) return {};
  const steps = eventsOfType(events, 'step.finished').slice(0, maxTimelineSteps).map((s) => ({ name: s.payload.name, atMs: s.payload.startedAt - t0 }));
  return { timeline: { pagedMs: paged.at - t0, steps } };
}

/** A runbook section has a handful of steps; a line stays small even if a responder looped. */
const maxTimelineSteps = 50;

export function sortByTime(entries: HistoryEntry[]): HistoryEntry[] {
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.drillId.localeCompare(b.drillId));
}

const entrySchema = z.object({
  scenario: z.string(),
  drillId: z.string(),
  at: z.string().refine((v) => !Number.isNaN(Date.parse(v))),
  verdict: z.enum(['passed', 'failed', 'inconclusive', 'error']),
  ttdMs: z.number().nullable(),
  ttrMs: z.number().nullable(),
  targets: z.object({ detectMs: z.number(), recoverMs: z.number() }),
  // Shown in the trend table: bounded like the journal's, and optional for lines written before them.
  versions: z.record(z.string().max(200), z.string().max(1000).nullable()).optional(),
  overrides: z.array(z.object({ path: z.string().max(1000), value: z.string().max(10_000) })).optional(),
  responder: z.string().max(100).optional(),
  timeline: z
    .object({ pagedMs: z.number().optional(), steps: z.array(z.object({ name: z.string().max(200), atMs: z.number() })).max(maxTimelineSteps) })
    .optional(),
});

function parseLine(line: string): HistoryEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = entrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
