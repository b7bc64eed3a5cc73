import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.ts';
import { ProgressPrinter } from '../../src/report/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 200, write: (c: string) => chunks.push(c) } };
}

function play(printer: ProgressPrinter, events: readonly JournalEvent[]) {
  for (const e of events) printer.listener(e);
}

describe('ProgressPrinter', () => {
  it('prints a plain line per phase and a status line at most every 5 s off a TTY', () => {
    const { chunks, stream } = capture(false);
    play(new ProgressPrinter(stream), buildJournal());
    const out = chunks.join('');
    expect(out).not.toContain('\r');
    expect(out).toContain('[00:02] phase: baseline');
    expect(out).toContain('phase: respond');
    expect(out).toContain('fault injected: latency');
    expect(out).toContain('alert firing: throughput(group=inventory) < 50/s for 10s');
    const statuses = out.split('\n').filter((l) => l.includes('| alert'));
    // 20 s baseline + 45 s to recover + 10 s window + 5 s tail ≈ 80 s of samples → 17 lines.
    expect(statuses.length).toBeGreaterThanOrEqual(15);
    expect(statuses.length).toBeLessThanOrEqual(18);
    expect(statuses.some((l) => /inventory lag \d+ \d+\/s/.test(l))).toBe(true);
    expect(statuses.some((l) => l.includes('alert FIRING'))).toBe(true);
    expect(statuses.at(-1)).toContain('alert ok');
  });

  it('rewrites the status line in place on a TTY, at most once per second', () => {
    const { chunks, stream } = capture(true);
    const printer = new ProgressPrinter(stream);
    play(printer, buildJournal());
    printer.finish();
    const statusWrites = chunks.filter((c) => c.startsWith('\r\x1b[2K[') && !c.includes('\n'));
    expect(statusWrites.length).toBeGreaterThanOrEqual(75);
    expect(statusWrites.length).toBeLessThanOrEqual(85);
    // A phase line clears the status line, prints, and redraws the status below it.
    expect(chunks.some((c) => /^\r\x1b\[2K\[\d\d:\d\d\] phase: respond\n\[/.test(c))).toBe(true);
    expect(chunks.at(-1)).toBe('\n');
  });

  it('truncates the status line to the terminal width', () => {
    const chunks: string[] = [];
    play(new ProgressPrinter({ isTTY: true, columns: 40, write: (c: string) => chunks.push(c) }), buildJournal());
    for (const c of chunks.filter((x) => !x.includes('\n'))) expect(c.replace('\r\x1b[2K', '').length).toBeLessThan(40);
  });

  it('never throws, whatever the stream or payload does', () => {
    const printer = new ProgressPrinter({
      write: () => {
        throw new Error('EPIPE');
      },
      on: () => undefined,
    });
    expect(() => play(printer, buildJournal())).not.toThrow();
    const quiet = new ProgressPrinter(capture(false).stream);
    expect(() => quiet.listener({ type: 'sample', at: 1, payload: null })).not.toThrow();
    expect(() => quiet.listener({ type: 'step.finished', at: 2, payload: undefined })).not.toThrow();
    expect(() => quiet.finish()).not.toThrow();
  });

  it('stops writing after the stream reports an error', () => {
    let onError: ((e: unknown) => void) | undefined;
    const chunks: string[] = [];
    const printer = new ProgressPrinter({ write: (c: string) => chunks.push(c), on: (_: 'error', l: (e: unknown) => void) => (onError = l) });
    printer.listener({ type: 'phase.started', at: 0, payload: { phase: 'fleet' } });
    onError?.(new Error('EPIPE'));
    printer.listener({ type: 'phase.started', at: 1, payload: { phase: 'baseline' } });
    expect(chunks).toHaveLength(1);
  });
});
