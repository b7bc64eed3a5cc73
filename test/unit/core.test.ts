import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.ts';
import { AgentdrillError } from '../../src/core/errors.ts';
import { ExitCode, exitCodeForError, exitCodeForVerdict } from '../../src/core/exit-codes.ts';
import { Journal } from '../../src/core/journal.ts';
import { Teardown } from '../../src/core/teardown.ts';
import { BoundedOutput } from '../../src/runbook/executor.ts';
import { SlidingRate } from '../../src/observe/rate.ts';

const fixedClock = { now: () => 1000, sleep: () => Promise.resolve() };

describe('durations', () => {
  it('parses the units people write', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('ten seconds')).toBeUndefined();
  });
  it('round-trips whole seconds through the formatter', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 59 }), (s) => parseDuration(formatDuration(s * 1000).replace('.0', '')) === s * 1000));
  });
});

describe('exit codes', () => {
  it('maps input errors to 2 and harness errors to 4', () => {
    expect(exitCodeForError('SCENARIO_INVALID')).toBe(ExitCode.invalidInput);
    expect(exitCodeForError('USAGE')).toBe(ExitCode.invalidInput);
    expect(exitCodeForError('INFRA_START_FAILED')).toBe(ExitCode.harnessError);
    expect(exitCodeForVerdict('inconclusive')).toBe(ExitCode.inconclusive);
    expect(new AgentdrillError('TOOL_MISSING', 'x').code).toBe('TOOL_MISSING');
  });
});

describe('journal', () => {
  it('keeps recording when a listener throws', () => {
    const journal = new Journal(fixedClock);
    const seen: string[] = [];
    journal.subscribe(() => {
      throw new Error('broken printer');
    });
    journal.subscribe((e) => seen.push(e.type));
    journal.record('phase.started', { phase: 'baseline' });
    journal.record('fault.removed', { fault: 'latency' });
    expect(journal.events.map((e) => e.type)).toEqual(['phase.started', 'fault.removed']);
    expect(seen).toEqual(['phase.started', 'fault.removed']);
    expect(journal.droppedListenerErrors).toBe(2);
    expect(journal.events[0]!.at).toBe(1000);
  });
});

describe('teardown', () => {
  it('runs every disposer newest first, once, even when one fails', async () => {
    const order: string[] = [];
    const t = new Teardown();
    t.add('a', () => void order.push('a'));
    t.add('b', () => {
      throw new Error('b broke');
    });
    t.add('c', () => void order.push('c'));
    const [first, second] = await Promise.all([t.run(), t.run()]);
    expect(order).toEqual(['c', 'a']);
    expect(first.failures).toEqual([{ name: 'b', error: 'b broke' }]);
    expect(second).toBe(first);
  });
});

describe('bounded step output', () => {
  it('keeps everything under the limit and head+tail over it', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 }), { maxLength: 40 }), fc.integer({ min: 16, max: 400 }), (chunks, limit) => {
        const out = new BoundedOutput(limit);
        for (const c of chunks) out.append(Buffer.from(c, 'latin1'));
        const all = chunks.join('');
        const text = out.text();
        if (Buffer.byteLength(all, 'latin1') <= limit) return Buffer.from(text, 'utf8').equals(Buffer.from(Buffer.from(all, 'latin1').toString('utf8'), 'utf8'));
        return text.includes('bytes elided');
      }),
    );
  });
});

describe('sliding rate', () => {
  it('measures a steady counter exactly', () => {
    const rate = new SlidingRate(2000);
    let r = 0;
    for (let i = 0; i <= 40; i++) r = rate.push(i * 250, i * 25); // 100 per second
    expect(r).toBeCloseTo(100, 5);
  });
  it('falls to the new rate within the window after a collapse', () => {
    const rate = new SlidingRate(2000);
    let value = 0;
    let r = 0;
    for (let i = 0; i <= 20; i++) r = rate.push(i * 250, (value += 25));
    for (let i = 21; i <= 40; i++) r = rate.push(i * 250, (value += 5));
    expect(r).toBeCloseTo(20, 5);
  });
  it('never reports a negative rate when the counter goes back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), (values) => {
        const rate = new SlidingRate(1000);
        return values.every((v, i) => rate.push(i * 250, v) >= 0);
      }),
    );
  });
});
