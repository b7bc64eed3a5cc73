import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderHtmlReport, writeHtmlReport } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const evil = '<script>alert(1)</script>';

describe('renderHtmlReport', () => {
  it('shows the verdict, TTD and TTR against targets, and the detection lower bound', () => {
    const html = renderHtmlReport(buildJournal({ detectAfterMs: 24_100, score: scoreDrill }));
    expect(html).toContain('data-verdict="failed"');
    expect(html).toContain('verdict-failed');
    expect(html).toContain('24.1s');
    expect(html).toContain('target 20s');
    expect(html).toContain('45s');
    expect(html).toContain('target 90s');
    expect(html).toContain('10.3s');
    expect(html).toContain('detect: 24.1s &gt; 20s target');
  });

  it('lists the fault as injected: its description in words, then its figures', () => {
    const events = buildJournal().map((e) =>
      e.type === 'fault.injected' ? { ...e, payload: { fault: 'reset-peer', description: 'connections reset (TCP RST) at their first data on fraud-api (its answers)', detail: { target: 'fraud-api', timeoutMs: 0 } } } : e,
    );
    const html = renderHtmlReport(events);
    expect(html).toContain('reset-peer: connections reset (TCP RST) at their first data on fraud-api (its answers)');
    expect(html).toContain('&quot;timeoutMs&quot;:0');
  });

  it('scores the journal itself when it carries no score event', () => {
    const html = renderHtmlReport(buildJournal());
    expect(html).toContain('data-verdict="passed"');
    expect(html).toContain('12s');
  });

  it('draws an inline SVG timeline with both panels and every marker kind', () => {
    const html = renderHtmlReport(buildJournal());
    expect(html).toContain('<svg');
    expect(html).toContain('id="lag"');
    expect(html).toContain('id="throughput"');
    for (const kind of ['fault', 'alert', 'step', 'recovered']) expect(html).toContain(`data-kind="${kind}"`);
    expect(html.match(/data-kind="step"/g)).toHaveLength(3);
    expect(html).toContain('seconds since fault injection');
    expect(html).toMatch(/data-group="inventory"/);
  });

  it('escapes hostile text in the scenario name and in step output', () => {
    const html = renderHtmlReport(buildJournal({ scenarioName: evil, stepOutput: `before ${evil} after`, score: scoreDrill }));
    expect(html).not.toContain(evil);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes hostile group names inside the SVG', () => {
    const events = buildJournal();
    for (const e of events) {
      if (e.type === 'sample') {
        const p = e.payload as { groups: Record<string, unknown> };
        p.groups[evil] = { lag: 1, throughput: 2, committed: 3 };
      }
    }
    const html = renderHtmlReport(events);
    expect(html).not.toContain(evil);
    expect(html).toContain('data-group="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('lists steps with command, offsets, exit code and collapsible output', () => {
    const html = renderHtmlReport(buildJournal({ stepOutput: 'line one\nline two\n' }));
    expect(html).toContain('<code>agentdrill ctl scale inventory +2</code>');
    expect(html).toContain('<details><summary>output (2 lines)</summary><pre>line one\nline two\n</pre></details>');
    expect(html).toMatch(/>S2<\/td><td>scale-out<\/td><td>Respond<\/td>/);
    expect(html).toContain('+12.5s');
  });

  it('shows integrity counts and the environment', () => {
    const html = renderHtmlReport(buildJournal({ integrity: { produced: 12_000, processed: 11_997, lost: 3, duplicated: 1, invalid: 0 } }));
    expect(html).toContain('11,997');
    expect(html).toMatch(/<tr class="bad"><th>lost<\/th><td>3<\/td>/);
    expect(html).toContain('sha256:1f2e3d');
    expect(html).toContain('kafka');
    expect(html).toContain('4.1.0');
  });

  it('is self-contained: no scripts, no external resources', () => {
    const html = renderHtmlReport(buildJournal());
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|@import|url\(http/i);
    expect(html).toContain("default-src 'none'");
  });

  it('renders a 10-minute journal at 4 Hz quickly, with series capped at two points per pixel column', () => {
    const events = buildJournal({ recoverAfterMs: 560_000, tailMs: 20_000 });
    expect(events.filter((e) => e.type === 'sample').length).toBeGreaterThan(2400);
    const t = performance.now();
    const html = renderHtmlReport(events);
    // bench/report.ts measures ~30 ms; a second leaves room for a slow CI machine, not for a regression.
    expect(performance.now() - t).toBeLessThan(1000);
    const paths = [...html.matchAll(/<path class="series" d="([^"]+)"/g)].map((m) => m[1]!);
    // 4 groups × (lag, throughput) + 4 agent instances × memory.
    expect(paths).toHaveLength(12);
    // The plot is 998 px wide; downsampling keeps each column's lowest and highest point.
    for (const d of paths) expect(d.split(/[ML]/).length - 1).toBeLessThanOrEqual(2 * 998);
  });

  it('renders a journal with no samples and no steps', () => {
    const events = buildJournal().filter((e) => !['sample', 'step.started', 'step.finished'].includes(e.type));
    const html = renderHtmlReport(events);
    expect(html).toContain('No runbook steps ran.');
    expect(html).toContain('<svg');
  });

  it('renders an empty journal as an error report without throwing', () => {
    const html = renderHtmlReport([]);
    expect(html).toContain('data-verdict="error"');
    expect(html).toContain('No samples were recorded.');
  });

  it('shows a step that never finished', () => {
    const events = buildJournal();
    const last = events.map((e) => e.type).lastIndexOf('step.finished');
    events.splice(last, 1);
    expect(renderHtmlReport(events)).toMatch(/status-unfinished/);
  });
});

describe('writeHtmlReport', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes report.html into the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentdrill-report-'));
    const path = await writeHtmlReport(join(dir, 'nested'), buildJournal());
    expect(path).toBe(join(dir, 'nested', 'report.html'));
    expect(await readFile(path, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});
