import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentdrillError, formatProblem } from '../../src/core/errors.ts';
import { loadLimits, parseTemplate, placeholders, prepareLoad, readSamples, seqOfStamp, type LoadSpec } from '../../src/load/index.ts';

const seq = fc.integer({ min: 1, max: 10_000_000 });
const now = fc.integer({ min: 0, max: 4_000_000_000_000 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-load-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

function failure(run: () => unknown): AgentdrillError {
  try {
    run();
  } catch (e) {
    if (e instanceof AgentdrillError) return e;
    throw e;
  }
  throw new Error('expected an AgentdrillError');
}

async function refusal(promise: Promise<unknown>): Promise<AgentdrillError> {
  const e = await promise.then(() => undefined, (error: unknown) => error);
  expect(e).toBeInstanceOf(AgentdrillError);
  return e as AgentdrillError;
}

/** One piece of a template and what its rendering must satisfy. */
type Piece = { text: string; check: (out: string, seq: number, now: number) => boolean; width?: number };
const literal = fc.string({ maxLength: 12 }).filter((s) => !/[{}|]/.test(s)).map((s): Piece => ({ text: s, check: (out) => out === s }));
const word = fc.stringMatching(/^[a-z]{1,6}$/);
const piece = fc.oneof(
  literal,
  fc.constant<Piece>({ text: '{{seq}}', check: (out, s) => out === String(s) }),
  fc.constant<Piece>({ text: '{{ now }}', check: (out, _s, n) => out === String(n) }),
  fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 1e6 })).map(([min, span]): Piece => ({
    text: `{{int ${min} ${min + span}}}`,
    check: (out) => Number.isSafeInteger(Number(out)) && Number(out) >= min && Number(out) <= min + span,
  })),
  fc.array(word, { minLength: 1, maxLength: 5 }).map((choices): Piece => ({ text: `{{pick ${choices.join(' ')}}}`, check: (out) => choices.includes(out) })),
);

describe('load templates', () => {
  it('renders each placeholder as documented, and the same way on every compile (replayable load)', () => {
    // Pieces are separated by a marker so each rendering can be checked on its own.
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), seq, now, (pieces, s, n) => {
        const text = pieces.map((p) => p.text).join('|');
        const out = parseTemplate(text, 'load.value.template')(s, n);
        expect(out).toBe(parseTemplate(text, 'again')(s, n));
        const parts = out.split('|');
        expect(parts.length).toBe(Math.max(1, pieces.length));
        pieces.forEach((p, i) => expect(p.check(parts[i]!, s, n), `${p.text} gave ${parts[i]}`).toBe(true));
      }),
    );
  });

  it('draws {{int}} and {{pick}} over their whole range as seq moves', () => {
    const int = parseTemplate('{{int 1 10}}', 'k');
    const pick = parseTemplate('{{pick eu us ap}}', 'k');
    expect(new Set(Array.from({ length: 500 }, (_, i) => int(i + 1, 0))).size).toBe(10);
    expect(new Set(Array.from({ length: 500 }, (_, i) => pick(i + 1, 0)))).toEqual(new Set(['eu', 'us', 'ap']));
    const uuid = parseTemplate('{{uuid}}', 'k');
    expect(new Set(Array.from({ length: 1000 }, (_, i) => uuid(i + 1, 0))).size).toBe(1000);
  });

  it('refuses an unknown placeholder at parse time, at its column, listing the allowed ones', () => {
    const known = new Set(['seq', 'now', 'uuid', 'int', 'pick']);
    fc.assert(
      fc.property(literal, word.filter((w) => !known.has(w)), (before, w) => {
        const e = failure(() => parseTemplate(`${before.text}{{${w}}}`, 'load.key'));
        expect(e.code).toBe('FLEET_INVALID');
        expect(e.message).toBe(`load.key, column ${before.text.length + 1}: unknown placeholder {{${w}}}`);
        for (const p of placeholders) expect(e.hint).toContain(`{{${p}}}`);
        expect(e.context.allowed).toEqual(placeholders.map((p) => `{{${p}}}`));
      }),
    );
    for (const bad of ['{{int 5 1}}', '{{int 1}}', '{{int a b}}', '{{pick}}', '{{seq 2}}', 'x {{seq', '{{}}']) {
      expect(failure(() => parseTemplate(bad, 'v')).code, bad).toBe('FLEET_INVALID');
    }
  });

  it('on any text either compiles to a renderer that never throws, or refuses with FLEET_INVALID', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), seq, (text, s) => {
        let render: ((seq: number, now: number) => string) | undefined;
        try {
          render = parseTemplate(text, 'v');
        } catch (e) {
          expect(e).toBeInstanceOf(AgentdrillError);
          return;
        }
        expect(typeof render(s, 0)).toBe('string');
      }),
    );
  });
});

const base: LoadSpec = { topic: 'orders', ratePerSec: 100, runTag: 'drill-1', value: { template: '{"id": {{seq}}, "meta": {"region": "{{pick eu us}}"}}' } };

describe('prepared load events', () => {
  it('stamps every event in the header, and also in the key or a JSON field when asked, keeping the rest', async () => {
    const field = fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z0-9-]{1,20}$/), seq, fc.option(field, { nil: undefined }), fc.boolean(), async (runTag, s, stampField, inKey) => {
        const load = await prepareLoad({ ...base, runTag, key: { template: 'k-{{seq}}' }, stamp: { key: inKey, ...(stampField ? { field: stampField } : {}) } });
        const m = load.message(s, 5);
        expect(m.headers).toEqual({ 'agentdrill-stamp': `${runTag}:${s}` });
        expect(seqOfStamp(runTag, String(m.headers!['agentdrill-stamp']))).toBe(s);
        expect(m.key).toBe(inKey ? `${runTag}:${s}` : `k-${s}`);
        const doc = JSON.parse(String(m.value)) as Record<string, unknown>;
        if (!stampField) expect(doc.id).toBe(s);
        else expect(stampField.split('.').reduce<unknown>((at, k) => (at as Record<string, unknown>)[k], doc)).toBe(`${runTag}:${s}`);
        if (stampField && !['id', 'meta'].includes(stampField.split('.')[0]!)) expect(doc.id).toBe(s);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses at preparation, not per event: a rate out of bounds, a non-object value with a stamp field, a reserved path', async () => {
    const outside = fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: loadLimits.maxRatePerSec + 0.001, noNaN: true }), fc.constant(Number.NaN), fc.constant(Infinity));
    await fc.assert(
      fc.asyncProperty(outside, async (rate) => {
        expect((await refusal(prepareLoad({ ...base, ratePerSec: rate }))).message).toMatch(/^load\.rate:/);
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.001, max: loadLimits.maxRatePerSec, noNaN: true }), async (rate) => {
        expect((await prepareLoad({ ...base, ratePerSec: rate })).ratePerSec).toBe(rate);
      }),
    );
    const plain = await refusal(prepareLoad({ ...base, value: { template: 'order {{seq}}' }, stamp: { field: 'meta.s' } }));
    expect(plain.message).toContain('event 1 is not a JSON object');
    expect((await refusal(prepareLoad({ ...base, value: { template: '{{pick {} []}}' }, stamp: { field: 's' } }))).message).toMatch(/event \d+ is not a JSON object/);
    expect((await refusal(prepareLoad({ ...base, stamp: { field: '__proto__.polluted' } }))).message).toContain('reserved');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await refusal(prepareLoad({ ...base, stamp: { header: 'bad header' } }))).code).toBe('FLEET_INVALID');
    expect((await refusal(prepareLoad({ ...base, runTag: 'a:b' }))).message).toMatch(/^runTag/);
    expect((await refusal(prepareLoad({ ...base, key: { sampleField: 'id' } }))).message).toContain('needs value.samples');
  });
});

describe('sample files (JSON Lines)', () => {
  it('replays the events in order, cycling, with keys from a field of each', async () => {
    const samples = file('orders.jsonl', '\uFEFF{"customer": {"id": "c1"}, "n": 1}\r\n\n{"customer": {"id": 7}, "n": 2}\n{"customer": {"id": "c3"}, "n": 3}\n');
    const load = await prepareLoad({ ...base, value: { samples }, key: { sampleField: 'customer.id' }, stamp: { field: 'meta.drillSeq' } });
    const events = [1, 2, 3, 4, 5].map((s) => load.message(s, 0));
    expect(events.map((m) => (JSON.parse(String(m.value)) as { n: number }).n)).toEqual([1, 2, 3, 1, 2]);
    expect(events.map((m) => m.key)).toEqual(['c1', '7', 'c3', 'c1', '7']);
    expect(JSON.parse(String(events[3]!.value))).toEqual({ customer: { id: 'c1' }, n: 1, meta: { drillSeq: 'drill-1:4' } });
  });

  it('names every bad line as file:line, and the lines a stamp field or key field cannot use', async () => {
    const bad = file('bad.jsonl', '{"a": 1}\n{oops}\n{"a": 3}\nnot json\n');
    const e = await refusal(readSamples(bad));
    expect(e.code).toBe('FLEET_INVALID');
    expect(e.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(formatProblem(e.problems[0]!)).toContain(`${bad}:2: not JSON`);
    const arrays = file('arrays.jsonl', '{"a": 1}\n[1, 2]\n"text"\n');
    expect((await refusal(prepareLoad({ ...base, value: { samples: arrays }, stamp: { field: 's' } }))).problems.map((p) => p.line)).toEqual([2, 3]);
    const keyless = file('keyless.jsonl', '{"id": "x"}\n{"other": 1}\n');
    expect((await refusal(prepareLoad({ ...base, value: { samples: keyless }, key: { sampleField: 'id' } }))).problems.map((p) => p.line)).toEqual([2]);
    expect((await refusal(readSamples(file('empty.jsonl', '\n\n')))).message).toContain('no events');
  });

  it('refuses a file over the size or line limit the caller passes', async () => {
    const big = file('big.jsonl', '{"a": 1}\n'.repeat(200));
    const tooBig = await refusal(readSamples(big, { maxBytes: 1000 }));
    expect(tooBig.context.reason).toBe('too-large');
    expect((await refusal(readSamples(big, { maxLines: 50 }))).problems[0]).toMatchObject({ line: 51, message: 'more than 50 lines' });
    expect(await readSamples(big, { maxBytes: 1800 })).toHaveLength(200);
  });
});
