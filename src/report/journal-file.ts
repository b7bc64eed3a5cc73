import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentdrillError } from '../core/errors.ts';
import type { JournalEvent, JournalFile } from '../core/journal.ts';

const format: JournalFile['format'] = 'agentdrill-journal/1';

/** Writes `journal.json` into `dir` (created if missing) and returns its path. */
export async function writeJournal(dir: string, events: readonly JournalEvent[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'journal.json');
  const file: JournalFile = { format, events: [...events] };
  await writeFile(path, `${JSON.stringify(file)}\n`, 'utf8');
  return path;
}

/**
 * Reads a journal back for re-scoring or re-rendering. Only the envelope is checked (format and
 * event shape): payloads are trusted as written by the same format version.
 */
export async function readJournal(path: string): Promise<JournalFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw bad(path, `cannot read journal ${path}`, 'pass the journal.json written by `agentdrill run`', cause);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw bad(path, `${path} is not valid JSON`, 'the file may be truncated; re-run the drill or restore the file', cause);
  }
  if (!isObject(data) || data.format !== format) {
    const found = isObject(data) && typeof data.format === 'string' ? `"${data.format}"` : 'no format field';
    throw bad(path, `${path} is not an agentdrill journal (expected format "${format}", found ${found})`, 'pass a journal.json written by `agentdrill run`');
  }
  if (!Array.isArray(data.events)) throw bad(path, `${path} has no events array`, 'the journal is damaged; re-run the drill');
  const index = data.events.findIndex((e) => !isEvent(e));
  if (index >= 0) {
    throw bad(path, `${path}: event ${index} is malformed (needs type, numeric at, payload)`, 'the journal is damaged; re-run the drill');
  }
  return { format, events: data.events as JournalEvent[] };
}

function bad(path: string, message: string, hint: string, cause?: unknown): AgentdrillError {
  return new AgentdrillError('USAGE', message, { hint, context: { file: path }, cause });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isEvent(x: unknown): boolean {
  return isObject(x) && typeof x.type === 'string' && typeof x.at === 'number' && Number.isFinite(x.at) && 'payload' in x;
}
