import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricTypes, parseExposition, type ExpositionSample } from '../../src/observe/prometheus-text.ts';

function parsed(text: string) {
  const r = parseExposition(text);
  if (!r.ok) throw new Error(`line ${r.line}: ${r.message}`);
  return r.exposition;
}

function error(text: string) {
  const r = parseExposition(text);
  if (r.ok) throw new Error('parsed');
  return r;
}

describe('parseExposition', () => {
  it('reads what prometheus_client serves: help, types, labels, +Inf, NaN, timestamps', () => {
    const e = parsed(
      [
        '# HELP scorer_processed_total Payments scored.',
        '# TYPE scorer_processed_total counter',
        'scorer_processed_total 1027',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{ method = "post" , code="400", } 3',
        'rpc_duration_seconds_bucket{le="+Inf"} 2.5e3',
        'weird{path="C:\\\\DIR\\\\F.TXT",error="Cannot find file:\\n\\"F.TXT\\""} -Inf',
        'ratio NaN',
        '',
        '   # a plain comment, indented',
        '# EOF',
      ].join('\r\n'),
    );
    expect(e.types).toEqual(new Map([['scorer_processed_total', 'counter'], ['http_requests_total', 'counter']]));
    expect(e.samples).toEqual([
      { name: 'scorer_processed_total', labels: {}, value: 1027 },
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3 },
      { name: 'rpc_duration_seconds_bucket', labels: { le: '+Inf' }, value: 2500 },
      { name: 'weird', labels: { path: 'C:\\DIR\\F.TXT', error: 'Cannot find file:\n"F.TXT"' }, value: -Infinity },
      { name: 'ratio', labels: {}, value: NaN },
    ]);
  });

  it('keeps a label named like an Object property as a label', () => {
    expect(parsed('x{__proto__="a",constructor="b"} 1').samples[0]!.labels).toEqual(Object.fromEntries([['__proto__', 'a'], ['constructor', 'b']]));
  });

  it('refuses a malformed page at its line, as Prometheus refuses the scrape', () => {
    expect(error('ok 1\n9bad 1')).toMatchObject({ line: 2, message: expect.stringContaining('"9bad" is not a metric name') });
    expect(error('x{a="1",a="2"} 1')).toMatchObject({ line: 1, message: 'label a appears twice' });
    expect(error('x{a="1} 1').message).toContain('never closed');
    expect(error('x{a="\\t"} 1').message).toContain('unknown escape');
    expect(error('x{a=1} 1').message).toContain('quoted value');
    expect(error('x{a="1"}1').message).toContain('blank before the value');
    expect(error('x 1 2 3').message).toContain('unexpected "3"');
    expect(error('x 1 1.5').message).toContain('integer milliseconds');
    expect(error('x one').message).toContain('no valid value');
    expect(error('x').message).toContain('got none');
    expect(error('# TYPE x countr').message).toContain('counter, gauge');
    expect(error('# HELP 1x hm').message).toContain('metric name');
  });

  // A page rendered from a model, with the blanks and optional commas the format allows.
  const name = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/);
  const labels = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), fc.string({ maxLength: 10, unit: 'binary' }), { maxKeys: 4 });
  const value = fc.oneof(fc.double().filter((v) => !Object.is(v, -0)), fc.integer({ min: -1e9, max: 1e9 }).filter((v) => v !== 0 || !Object.is(v, -0)));
  const sample: fc.Arbitrary<ExpositionSample> = fc
    .record({ name, labels, value, timestampMs: fc.option(fc.integer({ min: -1e12, max: 1e13 }), { nil: undefined }) })
    .map(({ timestampMs, ...s }) => (timestampMs === undefined ? s : { ...s, timestampMs }));
  const blank = fc.constantFrom(' ', '\t', '  ', ' \t');
  const noBlank = fc.constantFrom('', ' ');
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const number = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
  const line = fc.oneof(
    fc.record({ s: sample, b: blank, inner: noBlank, trailingComma: fc.boolean() }).map(({ s, b, inner, trailingComma }) => {
      const pairs = Object.entries(s.labels).map(([k, v]) => `${k}${inner}=${inner}${quote(v)}`);
      const body = pairs.length ? `{${inner}${pairs.join(`,${inner}`)}${trailingComma ? ',' : ''}${inner}}` : '';
      return { text: `${s.name}${body}${b}${number(s.value)}${s.timestampMs !== undefined ? `${b}${s.timestampMs}` : ''}`, sample: s };
    }),
    fc.tuple(name, fc.constantFrom(...metricTypes)).map(([n, t]) => ({ text: `# TYPE ${n} ${t}`, sample: undefined })),
    fc.tuple(name, fc.string({ maxLength: 20 }).map((h) => h.replace(/[\r\n]/g, ' '))).map(([n, h]) => ({ text: `# HELP ${n} ${h}`, sample: undefined })),
    fc.constantFrom({ text: '', sample: undefined }, { text: '# just a comment', sample: undefined }),
  );

  it('reads back every sample of a page rendered from a model, in order', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const e = parsed(lines.map((l) => l.text).join('\n'));
        expect(e.samples).toEqual(lines.flatMap((l) => (l.sample ? [l.sample] : [])));
      }),
    );
  });

  it('never throws: any text is a page or an error at a line within it', () => {
    const mutated = fc.tuple(fc.array(line, { maxLength: 6 }), fc.nat(), fc.string({ maxLength: 3 })).map(([lines, at, ins]) => {
      const t = lines.map((l) => l.text).join('\n');
      const i = at % (t.length + 1);
      return t.slice(0, i) + ins + t.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutated), (text) => {
        const r = parseExposition(text);
        if (!r.ok) {
          expect(r.line).toBeGreaterThanOrEqual(1);
          expect(r.line).toBeLessThanOrEqual(text.split('\n').length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
