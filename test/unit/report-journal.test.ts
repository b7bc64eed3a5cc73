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
  ])('rejects a file with %s as a USAGE error', async (_, content) => {
    const path = join(dir, 'bad.json');
    await writeFile(path, content);
    const error = await readJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentdrillError);
    expect((error as AgentdrillError).code).toBe('USAGE');
    expect((error as AgentdrillError).hint).toBeTruthy();
  });

  it('rejects a missing file as a USAGE error naming the path', async () => {
    const path = join(dir, 'missing.json');
    await expect(readJournal(path)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining(path) as unknown });
  });
});
