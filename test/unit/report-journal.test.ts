import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { readJournal, writeJournal } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeJournal / readJournal', () => {
  it('round-trips a journal and re-scores it identically', async () => {
    const events = buildJournal();
    const path = await writeJournal(dir, events);
    expect(path).toBe(join(dir, 'journal.json'));
    const file = await readJournal(path);
    expect(file.format).toBe('agentdrill-journal/1');
    expect(file.events).toEqual(events);
    expect(scoreDrill(file.events)).toEqual(scoreDrill(events));
  });

  it.each([
    ['not JSON', '{"format": "agentdrill-journal/1", "events": ['],
    ['a wrong format', JSON.stringify({ format: 'other/2', events: [] })],
    ['no format', JSON.stringify({ events: [] })],
    ['an array', '[]'],
    ['no events', JSON.stringify({ format: 'agentdrill-journal/1' })],
    ['a malformed event', JSON.stringify({ format: 'agentdrill-journal/1', events: [{ type: 'sample', at: 'soon', payload: {} }] })],
  ])('rejects a file with %s as JOURNAL_INVALID', async (_, content) => {
    const path = join(dir, 'bad.json');
    await writeFile(path, content);
    const error = await readJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentdrillError);
    expect((error as AgentdrillError).code).toBe('JOURNAL_INVALID');
    expect((error as AgentdrillError).hint).toBeTruthy();
  });

  it('names the event, its type, the field and the value found', async () => {
    const events = buildJournal();
    (events[3]!.payload as { phase: unknown }).phase = { nested: 'x'.repeat(1_000) };
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ format: 'agentdrill-journal/1', events }));
    const error = (await readJournal(path).catch((e: unknown) => e)) as AgentdrillError;
    expect(error.code).toBe('JOURNAL_INVALID');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: path });
    for (const part of ['event 3', 'phase.started', 'payload.phase', '{"nested":"xxx']) expect(error.problems[0]!.message).toContain(part);
    // The value is cut short: a step's whole output has no place in an error line.
    expect(error.problems[0]!.message.length).toBeLessThan(400);
  });

  it('passes event types it does not know, with any payload (a newer drill may add some)', async () => {
    const events = [...buildJournal(), { type: 'future.event', at: 1_700_000_100_000, payload: [1, 'two'] }];
    const path = await writeJournal(dir, events);
    expect((await readJournal(path)).events).toEqual(events);
  });

  it('rejects a missing file, a folder and a FIFO as INPUT_UNREADABLE naming the path', async () => {
    const path = join(dir, 'missing.json');
    await expect(readJournal(path)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining(path) as unknown });
    await expect(readJournal(dir)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readJournal(fifo)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
