import fc from 'fast-check';
import type { IHeaders, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { SeqTracker } from '../../src/integrity/seq-tracker.ts';
import {
  checkStampLocation,
  describeStampLocation,
  extractStamp,
  judgeIntegrity,
  producedUpTo,
  StampTally,
  type EndRecord,
  type ProducedStamps,
  type StampLocation,
} from '../../src/integrity/index.ts';
import { prepareLoad, stampValue, type StampPlacement } from '../../src/load/index.ts';

const tag = fc.stringMatching(/^[a-z0-9-]{1,16}$/);
const seq = fc.integer({ min: 1, max: 5_000_000 });
const fieldPath = fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
const location = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/).map((header): StampLocation => ({ header })),
  fc.constant<StampLocation>({ key: true }),
  fieldPath.map((field): StampLocation => ({ field })),
);

/** What a consumer gets back for what the load sent: bytes everywhere. */
function asDelivered(m: Message): EndRecord {
  const bytes = (v: Buffer | string | null | undefined) => (v === undefined || v === null ? null : Buffer.from(v));
  const headers: IHeaders = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]));
  return { key: bytes(m.key), value: bytes(m.value), headers };
}

function placementFor(where: StampLocation): StampPlacement {
  if ('header' in where) return { header: where.header };
  return 'key' in where ? { key: true } : { field: where.field };
}

describe('stamp extraction', () => {
  it('finds in every output the stamp the load put there, wherever integrity.match says it travels', async () => {
    await fc.assert(
      fc.asyncProperty(tag, seq, location, async (runTag, s, where) => {
        const load = await prepareLoad({ topic: 'in', ratePerSec: 10, runTag, value: { template: '{"order": {{seq}}}' }, stamp: placementFor(where) });
        const found = extractStamp(asDelivered(load.message(s, 0)), where);
        expect(found).toEqual({ kind: 'stamp', text: stampValue(runTag, s) });
        const tally = new StampTally(runTag, () => s);
        tally.record(found);
        tally.record(found);
        expect(tally.seen.has(s)).toBe(true);
        expect(tally.snapshot()).toMatchObject({ outputs: 2, distinct: 1, duplicated: 1, unstamped: 0, foreign: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('tells missing, unparseable and tombstone outputs apart', () => {
    const none: EndRecord = { headers: {}, key: null, value: Buffer.from('{"a": 1}') };
    expect(extractStamp(none, { header: 'agentdrill-stamp' })).toEqual({ kind: 'missing' });
    expect(extractStamp(none, { key: true })).toEqual({ kind: 'missing' });
    expect(extractStamp(none, { field: 'meta.s' })).toEqual({ kind: 'missing' });
    expect(extractStamp({ ...none, value: Buffer.from('not json') }, { field: 'meta.s' })).toEqual({ kind: 'invalid' });
    expect(extractStamp({ ...none, value: null }, { field: 'meta.s' })).toEqual({ kind: 'missing' });
    expect(extractStamp({ ...none, value: Buffer.from('{"meta": {"s": 7}}') }, { field: 'meta.s' })).toEqual({ kind: 'missing' });
    expect(extractStamp({ ...none, value: Buffer.from('{}') }, { field: 'constructor.name' })).toEqual({ kind: 'missing' });
    const repeated = { ...none, headers: { h: [Buffer.from('r:1'), Buffer.from('r:2')] } };
    expect(extractStamp(repeated, { header: 'h' })).toEqual({ kind: 'stamp', text: 'r:1' });
    expect(() => checkStampLocation({ field: '__proto__.x' })).toThrow(AgentdrillError);
    expect(() => checkStampLocation({ header: 'no spaces' })).toThrow(AgentdrillError);
  });

  it("ignores other runs' stamps and stamps no load sent, without growing its bitmap", () => {
    fc.assert(
      fc.property(tag, tag, seq, (mine, other, s) => {
        fc.pre(mine !== other);
        const tally = new StampTally(mine, () => 100);
        for (const text of [stampValue(other, s), `${mine}:0x10`, `${mine}:010`, `${mine}: 5`, `${mine}:1e2`, `${mine}:`, `${mine}:${100 + s}`, `${mine}:9007199254740991`]) {
          tally.record({ kind: 'stamp', text });
        }
        const counts = tally.snapshot();
        expect(counts).toMatchObject({ distinct: 0, foreign: 8, outputs: 8 });
        expect(tally.seen.snapshot().bits.length).toBeLessThanOrEqual(1024);
      }),
    );
  });
});

/** A produced set with some seqs unacknowledged (send failed), as the generator reports it. */
function producedSet(acked: boolean[]): ProducedStamps {
  return { produced: acked.filter(Boolean).length, lastSeq: acked.length, isProduced: (s) => acked[s - 1] === true };
}

describe('the end-of-pipeline judgement', () => {
  const scenario = fc.record({
    acked: fc.array(fc.boolean(), { maxLength: 300 }),
    deliveries: fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 400 }),
    unstamped: fc.nat(20),
    foreign: fc.nat(20),
    invalid: fc.nat(5),
    where: location,
  });

  it('claims loss only from stamps: lost is exactly the acknowledged stamps never seen, else counts-only with lost null', () => {
    fc.assert(
      fc.property(scenario, ({ acked, deliveries, unstamped, foreign, invalid, where }) => {
        const produced = producedSet(acked);
        const tally = new StampTally('run', () => produced.lastSeq);
        const sent = deliveries.filter((s) => s <= acked.length);
        for (const s of sent) tally.record({ kind: 'stamp', text: stampValue('run', s) });
        for (let i = 0; i < unstamped; i++) tally.record({ kind: 'missing' });
        for (let i = 0; i < foreign; i++) tally.record({ kind: 'stamp', text: `other:${i + 1}` });
        const withField = 'field' in where;
        for (let i = 0; withField && i < invalid; i++) tally.record({ kind: 'invalid' });
        const counts = tally.snapshot();
        const result = judgeIntegrity({ produced, counts, seen: tally.seen, where: describeStampLocation(where), withField, readToEnd: true });

        const seen = new Set(sent);
        const ackedSeqs = acked.flatMap((a, i) => (a ? [i + 1] : []));
        expect(result.produced).toBe(ackedSeqs.length);
        expect(result.outputs).toBe(sent.length + unstamped + foreign + (withField ? invalid : 0));
        if (seen.size === 0 && result.outputs - foreign > 0) {
          expect(result).toMatchObject({ mode: 'counts-only', delivered: null, lost: null, duplicated: null });
          expect(result.mode === 'counts-only' && result.why).toContain(describeStampLocation(where));
          return;
        }
        const lost = ackedSeqs.filter((s) => !seen.has(s));
        expect(result).toMatchObject({
          mode: 'stamped',
          delivered: ackedSeqs.length - lost.length,
          lost: lost.length,
          duplicated: sent.length - seen.size,
          unacknowledged: [...seen].filter((s) => !acked[s - 1]).length,
          lostSample: lost.slice(0, 10),
        });
        // The one claim that matters most: zero loss only when every produced stamp was seen.
        if (result.mode === 'stamped' && result.lost === 0) expect(ackedSeqs.every((s) => seen.has(s))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('calls nothing arriving a loss of everything, with a caution, and says when the topic was not read to its end', () => {
    const tally = new StampTally('run', () => 50);
    const judge = (readToEnd: boolean) => judgeIntegrity({ produced: producedUpTo(50), counts: tally.snapshot(), seen: tally.seen, where: 'the record key', withField: false, readToEnd });
    expect(judge(true)).toMatchObject({ mode: 'stamped', lost: 50, delivered: 0, lostSample: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    const [complete, partial] = [judge(true), judge(false)];
    expect(complete.mode === 'stamped' && complete.cautions.join()).toContain('nothing at all reached the end topic');
    expect(partial.mode === 'stamped' && partial.cautions.join()).toContain('not read up to its end offsets');
    const empty = judgeIntegrity({ produced: producedUpTo(0), counts: tally.snapshot(), seen: new SeqTracker(), where: 'x', withField: false, readToEnd: true });
    expect(empty).toMatchObject({ mode: 'stamped', lost: 0, cautions: [] });
  });

  it('names the stamp setting that found nothing, and the outputs that were not JSON', () => {
    const tally = new StampTally('run', () => 10);
    for (let i = 0; i < 7; i++) tally.record({ kind: 'missing' });
    tally.record({ kind: 'invalid' });
    const result = judgeIntegrity({ produced: producedUpTo(10), counts: tally.snapshot(), seen: tally.seen, where: describeStampLocation({ field: 'meta.drillSeq' }), withField: true, readToEnd: true });
    expect(result).toMatchObject({ mode: 'counts-only', produced: 10, outputs: 8, unstamped: 7, invalid: 1, lost: null });
    expect(result.mode === 'counts-only' && result.why).toMatch(/none of the 8 output\(s\).*\(1 of them not JSON\).*JSON field "meta\.drillSeq"/);
  });
});
