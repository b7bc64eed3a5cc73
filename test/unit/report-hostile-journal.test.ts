import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAgentdrillError } from '../../src/core/errors.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { historyEntryFromJournal, readJournal, renderHtmlReport } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

/**
 * Damaged journals, generated: whatever is deleted, replaced or retyped, `readJournal` either
 * hands back events the renderer and the scorer take without throwing, or says JOURNAL_INVALID.
 * Any other outcome (a TypeError, a RangeError, a hang) is a bug a user would meet as exit 4.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Small journals (a few dozen samples) keep a run fast; every event type still appears.
const bases: JournalEvent[][] = [
  buildJournal({ sampleIntervalMs: 1_000, baselineMs: 3_000, windowMs: 2_000, detectAfterMs: 2_000, recoverAfterMs: 6_000, tailMs: 1_000, score: scoreDrill }),
  buildJournal({ sampleIntervalMs: 1_000, baselineMs: 3_000, windowMs: 2_000, recoverAfterMs: null, tailMs: 0, crash: { afterMs: 1_000, signal: 'SIGABRT', code: null }, rebalance: { afterMs: 2_000, forMs: 2_000 } }),
];

/** JSON can say neither NaN nor Infinity; the marker becomes the literal 1e999, which parses as Infinity. */
const overflow = '__OVERFLOW__';

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1e308, -1e308, 1.7e308, 8.64e15 + 1, -8.64e15, Number.MAX_SAFE_INTEGER, 0.1, NaN, '', 'NaN', '1e308', overflow, '__proto__', [], {}, [null], { length: 1 }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('sample', 'drill.started', 'score', 'step.finished', 'fleet.event', 'group.state', 'recovered', 'error', 'phase.started'),
  fc.array(fc.oneof(fc.double(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.double(), fc.string({ maxLength: 5 }), fc.constant(null), fc.boolean()), { maxKeys: 3 }),
);

type Mutation =
  | { op: 'delete' | 'replace'; event: number; walk: number[]; value: unknown }
  | { op: 'dropEvent' | 'duplicateEvent'; event: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'replace' as const), event: fc.nat(), walk: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), value: hostileValue }),
  fc.record({ op: fc.constantFrom('dropEvent' as const, 'duplicateEvent' as const), event: fc.nat() }),
);

/** Follows `walk` into the event (each step picks a key by index) and changes what it lands on. */
function mutate(events: unknown[], m: Mutation): void {
  const index = m.event % Math.max(1, events.length);
  if (!('walk' in m)) {
    events.splice(index, m.op === 'dropEvent' ? 1 : 0, ...(m.op === 'dropEvent' ? [] : [structuredClone(events[index])]));
    return;
  }
  let parent: unknown = events;
  let key: string | number = index;
  for (const step of m.walk) {
    const here: unknown = (parent as Record<string | number, unknown>)[key];
    if (typeof here !== 'object' || here === null) break;
    const keys = Object.keys(here);
    if (keys.length === 0) break;
    parent = here;
    key = Array.isArray(here) ? step % here.length : keys[step % keys.length]!;
  }
  const target = parent as Record<string | number, unknown>;
  if (m.op === 'delete' && !Array.isArray(target)) delete target[key];
  else target[key] = m.value;
}

let n = 0;
async function damaged(base: JournalEvent[], mutations: Mutation[]): Promise<string> {
  const events = structuredClone(base) as unknown[];
  for (const m of mutations) mutate(events, m);
  const file = join(dir, `journal-${n++}.json`);
  await writeFile(file, JSON.stringify({ format: 'agentdrill-journal/1', events }).replaceAll(`"${overflow}"`, '1e999'));
  return file;
}

/** What `agentdrill report` does with an accepted journal, history included. */
function useJournal(events: readonly JournalEvent[]): void {
  const entry = historyEntryFromJournal(events);
  renderHtmlReport(events, { history: entry ? [entry, { ...entry, drillId: 'earlier' }] : [] });
  scoreDrill(events);
}

describe('damaged journals', () => {
  it('are either usable by the renderer and the scorer, or JOURNAL_INVALID; never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (base, mutations) => {
        const file = await damaged(base, mutations);
        let events: readonly JournalEvent[];
        try {
          events = (await readJournal(file)).events;
        } catch (e) {
          expect(isAgentdrillError(e) ? e.code : e).toBe('JOURNAL_INVALID');
          return;
        }
        useJournal(events);
      }),
      { numRuns: 300 },
    );
  });

  it('whole events deleted or repeated leave a journal the renderer and the scorer take', async () => {
    const structural = fc.record({ op: fc.constantFrom('dropEvent' as const, 'duplicateEvent' as const), event: fc.nat() });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases), fc.array(structural, { minLength: 1, maxLength: 30 }), async (base, mutations) => {
        useJournal((await readJournal(await damaged(base, mutations))).events);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['a null drill.started payload', (e: JournalEvent[]) => void (e[0]!.payload = null)],
    ['an empty drill.started payload', (e: JournalEvent[]) => void (e[0]!.payload = {})],
    ['an empty score', (e: JournalEvent[]) => void (e.find((x) => x.type === 'score')!.payload = {})],
    ['a timestamp near 1.7e308', (e: JournalEvent[]) => void (e[5]!.at = 1.7e308)],
    ['a timestamp that overflows to Infinity', (e: JournalEvent[]) => void (e[5]!.at = overflow as unknown as number)],
    ['a sample whose groups are a string', (e: JournalEvent[]) => void ((e.find((x) => x.type === 'sample')!.payload as { groups: unknown }).groups = 'x')],
  ])('%s is JOURNAL_INVALID, naming the event', async (_, damage) => {
    const events = structuredClone(bases[0]!);
    damage(events);
    const file = join(dir, `case-${n++}.json`);
    await writeFile(file, JSON.stringify({ format: 'agentdrill-journal/1', events }).replaceAll(`"${overflow}"`, '1e999'));
    const error = await readJournal(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOURNAL_INVALID' });
    expect(isAgentdrillError(error) && error.problems.length).toBeGreaterThan(0);
  });

  it('a fleet event detail nested a million levels deep is JOURNAL_INVALID, not a stack overflow', async () => {
    const events = structuredClone(bases[1]!);
    const exit = events.find((e) => e.type === 'fleet.event')!;
    (exit.payload as { detail: unknown }).detail = { deep: overflow };
    const file = join(dir, `deep-${n++}.json`);
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    await writeFile(file, JSON.stringify({ format: 'agentdrill-journal/1', events }).replace(`"${overflow}"`, deep));
    await expect(readJournal(file)).rejects.toMatchObject({ code: 'JOURNAL_INVALID' });
  });

  it('lists a bounded number of problems however broken the journal is', async () => {
    const events = structuredClone(bases[0]!).map((e) => ({ ...e, at: -1 }));
    const file = join(dir, `all-bad-${n++}.json`);
    await writeFile(file, JSON.stringify({ format: 'agentdrill-journal/1', events }));
    const error = await readJournal(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOURNAL_INVALID', context: { problemCount: events.length } });
    expect(isAgentdrillError(error) && error.problems.length).toBeLessThanOrEqual(21);
  });
});
