import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { AgentdrillError, type Problem } from '../core/errors.ts';
import type { JournalEvent, JournalFile } from '../core/journal.ts';
import { fileLimits, readUserFile } from '../core/user-file.ts';
import { eventProblem, preview } from './journal-problems.ts';
import { eventEnvelope, payloadSchema } from './journal-schema.ts';

const format: JournalFile['format'] = 'agentdrill-journal/1';
const damagedHint = 'the journal is damaged or was edited by hand; re-run the drill, or restore journal.json from a copy';
/** A journal broken throughout would list every event; the first few say what happened. */
const maxProblems = 20;

/** Writes `journal.json` into `dir` (created if missing) and returns its path. */
export async function writeJournal(dir: string, events: readonly JournalEvent[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'journal.json');
  const file: JournalFile = { format, events: [...events] };
  await writeFile(path, `${JSON.stringify(file)}\n`, 'utf8');
  return path;
}

/**
 * Reads a journal back for re-scoring or re-rendering. The file is read as a user's file (no
 * FIFOs or devices, size-capped), and every event is checked against journal-schema.ts, so what
 * comes back is safe for the renderers and the scorer; anything else is JOURNAL_INVALID, listing
 * each problem with its event index, type, field and the value found.
 */
export async function readJournal(path: string): Promise<JournalFile> {
  const text = await readUserFile(path, { kind: 'journal', maxBytes: fileLimits.journal, hint: 'pass the journal.json written by `agentdrill run`' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw invalid(path, `${path} is not valid JSON (${why.slice(0, 200)})`, 'the file may be truncated; re-run the drill or restore the file', cause);
  }
  if (!isRecord(data) || data.format !== format) {
    const found = isRecord(data) && 'format' in data ? preview(data.format, 80) : 'no format field';
    throw invalid(path, `${path} is not an agentdrill journal (expected format "${format}", found ${found})`, 'pass a journal.json written by `agentdrill run`');
  }
  if (!Array.isArray(data.events)) throw invalid(path, `${path} has no events array (found ${preview(data.events, 80)})`, damagedHint);
  const events: unknown[] = data.events;
  const { problems, total } = eventProblems(path, events);
  if (total > 0) {
    if (total > problems.length) problems.push({ file: path, message: `… and ${total - problems.length} more problems` });
    // The CLI prints a fix under each problem, not the error's hint: the last one carries it.
    problems.push({ ...problems.pop()!, hint: damagedHint });
    throw new AgentdrillError('JOURNAL_INVALID', `${path} is not a valid agentdrill journal: ${total} problem${total === 1 ? '' : 's'}`, {
      hint: damagedHint,
      context: { file: path, problemCount: total },
      problems,
    });
  }
  return { format, events: events as JournalEvent[] };
}

/** The first `maxProblems` problems, and how many there are in all. */
function eventProblems(path: string, events: readonly unknown[]): { problems: Problem[]; total: number } {
  const problems: Problem[] = [];
  let total = 0;
  const add = (index: number, event: unknown, issues: readonly z.core.$ZodIssue[], base?: PropertyKey[]) => {
    for (const issue of issues) if (total++ < maxProblems) problems.push(eventProblem(path, index, event, issue, base));
  };
  events.forEach((event, index) => {
    const envelope = eventEnvelope.safeParse(event);
    if (!envelope.success) return add(index, event, envelope.error.issues);
    const payload = payloadSchema(envelope.data.type)?.safeParse(envelope.data.payload);
    if (payload && !payload.success) add(index, event, payload.error.issues, ['payload']);
  });
  return { problems, total };
}

function invalid(path: string, message: string, hint: string, cause?: unknown): AgentdrillError {
  return new AgentdrillError('JOURNAL_INVALID', message, { hint, context: { file: path }, cause });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
