import { AgentdrillError, type Problem } from '../core/errors.ts';
import { readUserFile } from '../core/user-file.ts';
import { loadLimits } from './load-spec.ts';

/** One recorded event: its JSON (normalized, one line) and where it came from. */
export interface SampleEvent {
  line: number;
  json: string;
  value: unknown;
}

export interface SampleReadOptions {
  maxBytes?: number;
  maxLines?: number;
}

/** Past this many bad lines the file is plainly not JSON Lines; more would only bury the first. */
const maxProblems = 20;

/**
 * Reads a JSON Lines file of sample events. Blank lines are skipped (editors leave them at the
 * end); every other line must be one JSON value, and each bad one is reported as file:line.
 */
export async function readSamples(file: string, options: SampleReadOptions = {}): Promise<SampleEvent[]> {
  const maxBytes = options.maxBytes ?? loadLimits.sampleBytes;
  const maxLines = options.maxLines ?? loadLimits.sampleLines;
  const text = await readUserFile(file, { kind: 'samples file', maxBytes, hint: 'name a JSON Lines file: one recorded event per line' });
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const problems: Problem[] = [];
  const samples: SampleEvent[] = [];
  if (lines.length > maxLines) {
    problems.push({ file, line: maxLines + 1, message: `more than ${maxLines} lines`, hint: 'a few thousand events are enough: the load cycles through them' });
  }
  for (let i = 0; i < Math.min(lines.length, maxLines) && problems.length < maxProblems; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      samples.push({ line: i + 1, json: JSON.stringify(value), value });
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not JSON: ${(e as Error).message}`, hint: 'one JSON value per line (JSON Lines); a pretty-printed event spans lines and must be joined' });
    }
  }
  if (problems.length === 0 && samples.length === 0) {
    problems.push({ file, line: 1, message: 'the samples file has no events', hint: 'write one JSON event per line' });
  }
  if (problems.length > 0) throw sampleProblems(file, problems);
  return samples;
}

/** One error for every located problem in a samples file (exit 2, each printed as file:line). */
export function sampleProblems(file: string, problems: Problem[]): AgentdrillError {
  const first = problems[0]!;
  return new AgentdrillError('FLEET_INVALID', `samples file ${file}: ${problems.length} problem(s), the first at line ${first.line}: ${first.message}`, {
    hint: first.hint,
    context: { file, line: first.line },
    problems,
  });
}
