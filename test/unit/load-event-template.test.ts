import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventTemplate, type EventTemplate } from '../../src/load/event-template.ts';
import { jsonFieldOf, seqOfStamp, stampJsonField, stampValue } from '../../src/load/stamp.ts';

function render(text: string): EventTemplate {
  const compiled = compileEventTemplate(text);
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.render;
}

const seq = fc.integer({ min: 1, max: 10_000_000 });

describe('per-event templates', () => {
  it('leaves text without placeholders as it is', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes('{{')), seq, (text, n) => {
        expect(render(text)(n, 0)).toBe(text);
      }),
    );
  });

  it('fills seq and now, keeps int within its bounds and pick among its choices, the same way every run', () => {
    fc.assert(
      fc.property(seq, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (n, min, span) => {
        const t = render(`{"id": {{seq}}, "at": {{now}}, "n": {{int ${min} ${min + span}}}, "r": "{{pick eu us}}"}`);
        const doc = JSON.parse(t(n, 1234)) as { id: number; at: number; n: number; r: string };
        expect(doc.id).toBe(n);
        expect(doc.at).toBe(1234);
        expect(doc.n).toBeGreaterThanOrEqual(min);
        expect(doc.n).toBeLessThanOrEqual(min + span);
        expect(['eu', 'us']).toContain(doc.r);
        expect(t(n, 1234)).toBe(render(`{"id": {{seq}}, "at": {{now}}, "n": {{int ${min} ${min + span}}}, "r": "{{pick eu us}}"}`)(n, 1234));
      }),
    );
    const uuids = new Set(Array.from({ length: 1000 }, (_, i) => render('{{uuid}}')(i + 1, 0)));
    expect(uuids.size).toBe(1000);
    for (const u of uuids) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('spreads {{int}} and {{pick}} evenly, beyond 2^32 too, and two placeholders draw apart', () => {
    const counts = (t: EventTemplate, from: number) => {
      const seen = new Map<string, number>();
      for (let n = from; n < from + 10_000; n++) seen.set(t(n, 0), (seen.get(t(n, 0)) ?? 0) + 1);
      return [...seen.values()];
    };
    for (const from of [1, 2 ** 32 - 5_000, 2 ** 52]) {
      const ints = counts(render('{{int 1 10}}'), from);
      expect(ints).toHaveLength(10);
      for (const c of ints) expect(c).toBeGreaterThan(850); // 1,000 expected in each
      const picks = counts(render('{{pick a b c d}}'), from);
      expect(picks).toHaveLength(4);
      for (const c of picks) expect(c).toBeGreaterThan(2_200); // 2,500 expected in each
    }
    // Salted by the placeholder's text: two different ranges do not move in lockstep.
    const pair = render('{{int 0 1}}/{{int 0 01}}');
    const same = Array.from({ length: 2000 }, (_, i) => pair(i + 1, 0)).filter((s) => s[0] === s[2]).length;
    expect(same).toBeGreaterThan(850);
    expect(same).toBeLessThan(1150);
  });

  it('refuses what it does not know at the column of its {{, listing the placeholders', () => {
    const bad = compileEventTemplate('id={{seq}} x={{random}}');
    expect(bad).toMatchObject({ ok: false, error: { column: 14, message: 'unknown placeholder {{random}}' } });
    expect(!bad.ok && bad.error.hint).toContain('{{int <min> <max>}}');
    expect(compileEventTemplate('{{int 5 1}}').ok).toBe(false);
    expect(compileEventTemplate('{{seq').ok).toBe(false);
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => void compileEventTemplate(s)));
  });
});

describe('stamps', () => {
  const tag = fc.stringMatching(/^[a-z0-9-]{1,20}$/);

  it('gives back the seq of this run only', () => {
    fc.assert(
      fc.property(tag, tag, seq, (mine, other, n) => {
        expect(seqOfStamp(mine, stampValue(mine, n))).toBe(n);
        if (other !== mine && !other.startsWith(`${mine}:`)) expect(seqOfStamp(mine, stampValue(other, n))).toBeUndefined();
      }),
    );
    expect(seqOfStamp('run', undefined)).toBeUndefined();
    expect(seqOfStamp('run', 'run:abc')).toBeUndefined();
  });

  it('writes a stamp into a JSON field and reads it back, keeping the other fields', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue()), fc.array(key, { minLength: 1, maxLength: 4 }), seq, (doc, keys, n) => {
        const stamped = stampJsonField(JSON.stringify(doc), keys.join('.'), stampValue('r', n))!;
        expect(jsonFieldOf(stamped, keys.join('.'))).toBe(`r:${n}`);
        const back = JSON.parse(stamped) as Record<string, unknown>;
        for (const k of Object.keys(doc)) if (k !== keys[0]) expect(back[k]).toEqual(JSON.parse(JSON.stringify(doc[k])));
      }),
    );
    expect(stampJsonField('[1,2]', 'a', 'x')).toBeUndefined();
    expect(stampJsonField('plain text', 'a', 'x')).toBeUndefined();
  });
});

describe('stamps and hostile field paths', () => {
  it('never writes through __proto__, and reads only the exact form a stamp is written in', () => {
    expect(stampJsonField('{}', '__proto__.polluted', 'x')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const odd of ['run:0x10', 'run: 7', 'run:1e3', 'run:07', 'run:-1', 'run:0']) expect(seqOfStamp('run', odd)).toBeUndefined();
  });
});
