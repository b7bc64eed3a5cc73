import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exitCodeForError } from '../../src/core/exit-codes.ts';
import { bandwidthRange, formatKbPerSec, parseKbPerSec } from '../../src/faults/bandwidth-rate.ts';
import { validateScenarioText } from '../../src/scenario/validate.ts';
import { referenceFault, referenceFaultOk } from '../helpers/faults.ts';
import { scenarioProblems } from '../helpers/scenario-problems.ts';

/** The toxics' `fault:` blocks: written form → normalized form, and every way to get them wrong. */
const file = path.resolve('examples/payments/drills/probe.yaml');
const on = (fault: string) => `name: probe
fleet: ../fleet.yaml
fault: ${fault}
runbook: ../runbook.md#fraud-api-slow
targets: { detectWithin: 30s, recoverWithin: 60s }
steadyState: { window: 5s, conditions: ["lag(group=scorer) < 150"] }
`;
const shared = { target: 'inventory-api', stream: 'downstream', toxicity: 1 };

describe('toxic fault schemas', () => {
  it('normalizes each toxic with its own figures and the shared defaults', () => {
    expect(referenceFault({ type: 'latency', target: 'inventory-api', latency: '300ms' })).toEqual({ type: 'latency', ...shared, latencyMs: 300, jitterMs: 0 });
    expect(referenceFault({ type: 'timeout', target: 'inventory-api', timeout: '5s' })).toEqual({ type: 'timeout', ...shared, timeoutMs: 5000 });
    expect(referenceFault({ type: 'timeout', target: 'inventory-api', timeout: '0ms' })).toMatchObject({ timeoutMs: 0 });
    expect(referenceFault({ type: 'bandwidth', target: 'inventory-api', rate: '1.5MB/s' })).toEqual({ type: 'bandwidth', ...shared, kbPerSec: 1500 });
    expect(referenceFault({ type: 'bandwidth', target: 'inventory-api', rate: 64 })).toMatchObject({ kbPerSec: 64 });
    expect(referenceFault({ type: 'reset-peer', target: 'inventory-api' })).toEqual({ type: 'reset-peer', ...shared, timeoutMs: 0 });
    expect(referenceFault({ type: 'slow-close', target: 'inventory-api', delay: '2s', stream: 'upstream', toxicity: 0.25 })).toEqual({
      type: 'slow-close', target: 'inventory-api', stream: 'upstream', toxicity: 0.25, delayMs: 2000,
    });
  });

  it('refuses values past what Toxiproxy and the drill honour, and keys of another toxic', () => {
    const bad: object[] = [
      { type: 'timeout', timeout: '7h' }, // past the longest drill
      { type: 'timeout' }, // required: "hang" is written 0ms, not left out
      { type: 'timeout', timeout: 5000 }, // a bare number has no unit
      { type: 'bandwidth', rate: '0KB/s' }, // 0 is "no limit" to Toxiproxy
      { type: 'bandwidth', rate: '0.5KB/s' }, // Toxiproxy takes whole KB/s
      { type: 'bandwidth', rate: '11GB/s' },
      { type: 'reset-peer', timeout: '-1s' },
      { type: 'slow-close', delay: '1s', toxicity: 1.01 },
      { type: 'slow-close', delay: '1s', stream: 'both' },
      { type: 'latency', latency: '61s' },
      { type: 'slow-close', timeout: '1s' }, // reset-peer's key
    ];
    for (const fault of bad) expect(referenceFaultOk({ target: 'inventory-api', ...fault }), JSON.stringify(fault)).toBe(false);
  });

  it('reports each problem at the fault line and column with the allowed values (exit 2)', () => {
    // [fault, message, part of the hint, where the problem points (its first occurrence on the line)]
    const cases: [string, string, string, string][] = [
      ['{ type: timeout, target: fraud-api, timeout: 7h }', 'fault.timeout: "7h" is out of range (allowed: 0ms to 6h)', 'between 0ms and 6h', '7h'],
      ['{ type: bandwidth, target: fraud-api, rate: 1.5KB/s }', 'fault.rate: "1.5KB/s" is not a whole number of KB/s (Toxiproxy takes whole KB/s)', 'from 1KB/s to 10GB/s', '1.5KB/s'],
      ['{ type: bandwidth, target: fraud-api, rate: fast }', 'fault.rate: "fast" is not a bandwidth', 'e.g. 64KB/s', 'fast'],
      ['{ type: reset-peer, target: fraud-api, stream: sideways }', 'fault.stream: "sideways" is not allowed', '"downstream", "upstream"', 'sideways'],
      ['{ type: slow-close, target: fraud-api, delay: 1s, rate: 2KB/s }', 'unknown key "rate" in fault', 'type, target, stream, toxicity, delay', 'rate:'],
    ];
    for (const [fault, message, hint, at] of cases) {
      const problems = scenarioProblems(on(fault), file);
      expect(problems.map((p) => p.message), fault).toEqual([message]);
      expect(problems[0]!.hint).toContain(hint);
      expect([problems[0]!.line, problems[0]!.column]).toEqual([3, 'fault: '.length + fault.indexOf(at) + 1]);
    }
    expect(exitCodeForError('SCENARIO_INVALID')).toBe(2);
  });

  it('accepts a toxic on a fleet file\'s dependency', () => {
    expect(validateScenarioText(on('{ type: reset-peer, target: fraud-api, timeout: 250ms, stream: upstream }'), file).fault).toEqual({
      type: 'reset-peer', target: 'fraud-api', stream: 'upstream', toxicity: 1, timeoutMs: 250,
    });
  });
});

describe('bandwidth rates', () => {
  it('reads KB, MB and GB per second in Toxiproxy\'s decimal KB', () => {
    expect(parseKbPerSec('64KB/s')).toEqual({ ok: true, kbPerSec: 64 });
    expect(parseKbPerSec(' 1.1 mb / s ')).toEqual({ ok: true, kbPerSec: 1100 });
    expect(parseKbPerSec('10GB/s')).toEqual({ ok: true, kbPerSec: 10_000_000 });
    expect(parseKbPerSec('64KB')).toEqual({ ok: false, reason: 'not-a-rate' });
    expect(parseKbPerSec(Number.NaN)).toEqual({ ok: false, reason: 'not-a-rate' });
  });

  it('formats losslessly: every rate in range reads back as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: bandwidthRange.minKbPerSec, max: bandwidthRange.maxKbPerSec }), (kb) => {
        expect(parseKbPerSec(formatKbPerSec(kb))).toEqual({ ok: true, kbPerSec: kb });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and what it accepts is a whole KB/s Toxiproxy honours', () => {
    const written = fc.tuple(fc.double({ min: 0, max: 2e7, noNaN: true }), fc.constantFrom('', 'KB/s', 'MB/s', 'GB/s', 'kb/s', 'B/s', '/s')).map(([n, u]) => `${n}${u}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), written, fc.double()), (value) => {
        const parsed = parseKbPerSec(value);
        if (!parsed.ok) return;
        expect(Number.isInteger(parsed.kbPerSec)).toBe(true);
        expect(parsed.kbPerSec).toBeGreaterThanOrEqual(bandwidthRange.minKbPerSec);
        expect(parsed.kbPerSec).toBeLessThanOrEqual(bandwidthRange.maxKbPerSec);
      }),
      { numRuns: 1000 },
    );
  });
});
