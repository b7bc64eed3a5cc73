import { writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { peakRssMb, rssAtRecoveryMb } from '../../src/faults/memory-figures.ts';
import { isHeapOom, oomCause, readLogSince } from '../../src/faults/memory-oom.ts';
import { formatMbPerSec, parseMbPerSec } from '../../src/faults/memory-rate.ts';
import { referenceFault, referenceFaultOk } from '../helpers/faults.ts';
import type { JournalEvent } from '../../src/core/journal.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const MiB = 1024 * 1024;

describe('memory-growth leak rate', () => {
  it('reads MB/s, KB/s, GB/s and bare numbers as MB per second', () => {
    expect(parseMbPerSec('4MB/s')).toBe(4);
    expect(parseMbPerSec(' 1.5 mb / s ')).toBe(1.5);
    expect(parseMbPerSec('512KB/s')).toBe(0.5);
    expect(parseMbPerSec('1GB/s')).toBe(1024);
    expect(parseMbPerSec('3')).toBe(3);
    expect(parseMbPerSec(2)).toBe(2);
    for (const bad of ['0MB/s', '-1MB/s', '4MB', 'fast', '4 MB per s', '']) expect(parseMbPerSec(bad), bad).toBeUndefined();
    expect(formatMbPerSec(4)).toBe('4MB/s');
    expect(formatMbPerSec(0.5)).toBe('512KB/s');
  });

  it('the scenario schema fills defaults and names outputs by unit', () => {
    expect(referenceFault({ type: 'memory-growth', variant: 'proactive', rate: '4MB/s' })).toEqual({
      type: 'memory-growth',
      target: 'fulfillment',
      variant: 'proactive',
      mbPerSec: 4,
      cacheTtlMs: 600_000,
    });
    expect(referenceFaultOk({ type: 'memory-growth', variant: 'proactive', rate: '4MB' })).toBe(false);
    expect(referenceFaultOk({ type: 'memory-growth', variant: 'sometimes', rate: '4MB/s' })).toBe(false);
    expect(referenceFaultOk({ type: 'memory-growth', variant: 'reactive', rate: '4MB/s', target: 'decision' })).toBe(false);
  });
});

describe('memory-growth OOM classification', () => {
  const v8Oom = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n';
  it('needs both an abort and V8\'s heap-limit line', () => {
    expect(isHeapOom({ code: null, signal: 'SIGABRT' }, v8Oom)).toBe(true);
    expect(isHeapOom({ code: 134, signal: null }, v8Oom)).toBe(true);
    expect(isHeapOom({ code: null, signal: 'SIGABRT' }, 'kill -ABRT by hand\n')).toBe(false);
    expect(isHeapOom({ code: null, signal: 'SIGKILL' }, v8Oom)).toBe(false);
    expect(isHeapOom({ code: 0, signal: null }, v8Oom)).toBe(false);
  });

  it("names the cause: V8's abort, or the kernel's OOM kill only when the engine says OOMKilled", () => {
    expect(oomCause({ code: null, signal: 'SIGABRT' }, v8Oom)).toBe('heap-limit');
    // A container at its memory limit: SIGKILL (137), no last words, the engine's flag.
    expect(oomCause({ code: 137, signal: 'SIGKILL', oomKilled: true }, '')).toBe('kernel-oom-killer');
    // The same exit without the flag is a kill (a fault, kill -9), not an OOM.
    expect(oomCause({ code: 137, signal: 'SIGKILL', oomKilled: false }, '')).toBeUndefined();
    expect(oomCause({ code: 137, signal: 'SIGKILL' }, v8Oom)).toBeUndefined();
    expect(oomCause({ code: 0, signal: null, oomKilled: false }, '')).toBeUndefined();
  });

  it('reads the log only from where the current run started', async () => {
    const file = path.join(tempDir('agentdrill-oom-'), 'fulfillment-1.log');
    writeFileSync(file, v8Oom);
    const offset = v8Oom.length;
    appendFileSync(file, '{"message":"started"}\n');
    expect(await readLogSince(file, offset)).toBe('{"message":"started"}\n');
    expect(await readLogSince(file, 0)).toContain('heap out of memory');
    expect(await readLogSince(file, 0, 10)).toBe('started"}\n');
    expect(await readLogSince(path.join(os.tmpdir(), 'no-such-agentdrill.log'), 0)).toBe('');
  });
});

describe('memory-growth figures', () => {
  const sample = (at: number, mb: number | undefined): JournalEvent => ({
    type: 'sample',
    at,
    payload: {
      groups: {},
      counters: {},
      agents: {
        'fulfillment-1': { agent: 'fulfillment', rssBytes: (mb ?? 0) * MiB, up: mb !== undefined },
        'sink-1': { agent: 'sink', rssBytes: 900 * MiB, up: true },
      },
    },
  });
  const events: JournalEvent[] = [sample(0, 300), sample(1000, 90), sample(2000, 150.26), sample(3000, undefined), sample(4000, 100)];

  it('peak memory counts the agent\'s own samples from injection on', () => {
    expect(peakRssMb(events, 'fulfillment', 1000)).toBe(150.3);
    expect(peakRssMb(events, 'fulfillment', 5000)).toBeNull();
  });

  it('memory at recovery is the sample at the start of the recovery window', () => {
    const recovered: JournalEvent = { type: 'recovered', at: 9000, payload: { windowStartAt: 3500, confirmedAt: 9000 } };
    expect(rssAtRecoveryMb([...events, recovered], 'fulfillment', 1000)).toBe(100);
    expect(rssAtRecoveryMb(events, 'fulfillment', 1000)).toBeNull();
  });
});
