import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/core/events.ts';
import { appendHistory, historyEntryFromJournal, readHistory, readJournal, renderHtmlReport, renderJunit, renderSummary, toJsonResult, type HistoryEntry } from '../../src/report/index.ts';
import { releaseProperties } from '../../src/report/junit.ts';
import { releaseFromJournal } from '../../src/report/release-view.ts';
import { buildTrendView } from '../../src/report/trend-view.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

/** Release N+1 of the payments fleet, as drill.started records it after `--set`. */
const fleet: NonNullable<EventPayloads['drill.started']['fleet']> = {
  name: 'payments',
  file: '/repo/examples/payments/fleet.yaml',
  checksum: 'sha256:feed',
  ratePerSec: 40,
  replicas: { scorer: 3, ledger: 1 },
  versions: {
    scorer: { version: '1.5.0', from: 'image', image: 'acme/scorer:1.5.0' },
    ledger: { version: null, from: null, image: 'acme/ledger' },
  },
  overrides: [
    { path: 'agents.scorer.image', value: 'acme/scorer:1.5.0' },
    { path: 'agents.scorer.replicas', value: '3' },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-release-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the release in every output', () => {
  const events = buildJournal({ fleet, score: scoreDrill });
  const release = releaseFromJournal(events);

  it('reads from drill.started; the reference fleet and older journals have none', () => {
    expect(release).toEqual({ versions: { scorer: '1.5.0', ledger: null }, overrides: fleet.overrides });
    expect(releaseFromJournal(buildJournal())).toBeUndefined();
    const { versions: _v, overrides: _o, ...older } = fleet;
    expect(releaseFromJournal(buildJournal({ fleet: older }))).toBeUndefined();
  });

  it('--json: versions by agent and the flags as written', () => {
    const result = toJsonResult('payments', scoreDrill(events), {}, release);
    expect(result).toMatchObject({ versions: { scorer: '1.5.0', ledger: null }, overrides: fleet.overrides });
  });

  it('the terminal summary: one line a CI log shows', () => {
    expect(renderSummary(scoreDrill(events), {}, release)).toContain('  release:   scorer 1.5.0, ledger unknown (--set agents.scorer.image=acme/scorer:1.5.0 agents.scorer.replicas=3)');
  });

  it('JUnit: <properties> in the testcase, escaped, one per agent and per flag', () => {
    const props = releaseProperties({ versions: { scorer: '1.5.0', ledger: null }, overrides: [...fleet.overrides!, { path: 'agents.scorer.command.env.NOTE', value: 'a<b & "c"' }] });
    const targets = { detectMs: 20_000, recoverMs: 90_000 };
    const xml = renderJunit([
      { scenario: 'payments', verdict: 'failed', reasons: ['recover: 130s > 120s target'], ttdMs: 9_000, ttrMs: 130_000, targets, durationMs: 1, properties: props },
      { scenario: 'reference', verdict: 'passed', reasons: [], ttdMs: 1, ttrMs: 1, targets, durationMs: 1 },
    ]);
    expect(XMLValidator.validate(xml)).toBe(true);
    type Case = { properties?: { property: { '@_name': string; '@_value': string }[] } };
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'property' || name === 'testcase' }).parse(xml) as { testsuites: { testsuite: { testcase: Case[] } } };
    const [drilled, reference] = doc.testsuites.testsuite.testcase;
    expect(drilled!.properties!.property.map((p) => [p['@_name'], p['@_value']])).toEqual([
      ['agent.scorer.version', '1.5.0'],
      ['agent.ledger.version', 'unknown'],
      ['set', 'agents.scorer.image=acme/scorer:1.5.0'],
      ['set', 'agents.scorer.replicas=3'],
      ['set', 'agents.scorer.command.env.NOTE=a<b & "c"'],
    ]);
    expect(reference!.properties).toBeUndefined();
  });

  it('history.jsonl: each line keeps its versions and flags, and lines from before them still read', async () => {
    const entry = historyEntryFromJournal(events)!;
    expect(entry).toMatchObject({ versions: { scorer: '1.5.0', ledger: null }, overrides: fleet.overrides });
    await appendHistory(dir, { scenario: entry.scenario, drillId: 'older', at: '2023-01-01T00:00:00.000Z', verdict: 'passed', ttdMs: 1, ttrMs: 2, targets: entry.targets });
    await appendHistory(dir, entry);
    const back = await readHistory(dir, entry.scenario);
    expect(back.map((e) => e.versions)).toEqual([undefined, { scorer: '1.5.0', ledger: null }]);
    expect(back[1]).toEqual(entry);
  });

  it('the trend: each drill’s versions next to its TTD and TTR, release N+1 above release N', () => {
    const releaseN: HistoryEntry = { scenario: 'downstream-backlog', drillId: 'n', at: '2023-10-01T00:00:00.000Z', verdict: 'passed', ttdMs: 8_000, ttrMs: 40_000, targets: { detectMs: 20_000, recoverMs: 90_000 }, versions: { scorer: '1.4.2', ledger: null } };
    const rows = buildTrendView([releaseN], events).rows;
    expect(rows.map((r) => [r.drillId, r.ttd, r.ttr, r.versions, r.overrides])).toEqual([
      ['drill-0001', '12s / 20s', '45s / 90s', 'scorer 1.5.0, ledger unknown', 'agents.scorer.image=acme/scorer:1.5.0 agents.scorer.replicas=3'],
      ['n', '8s / 20s', '40s / 90s', 'scorer 1.4.2, ledger unknown', ''],
    ]);
    const html = renderHtmlReport(events, { history: [releaseN] });
    // Each point of the chart names its release too.
    expect(html).toContain('<title>n (2023-10-01, passed, scorer 1.4.2, ledger unknown): time to detect 8s, target 20s</title>');
    expect(html).toMatch(/<td class="num">40s \/ 90s<\/td><td class="versions">scorer 1\.4\.2, ledger unknown<\/td><\/tr>/);
    expect(html).toContain('<td class="versions">scorer 1.5.0, ledger unknown<br><code class="overrides">--set agents.scorer.image&#x3D;acme/scorer:1.5.0 agents.scorer.replicas&#x3D;3</code></td>');
  });

  it('the report’s environment: each agent’s version and where it was read, and the flags', () => {
    const html = renderHtmlReport(events);
    expect(html).toContain('<tr><th>agent scorer</th><td class="agent-version">1.5.0 <span class="version-source">(tag of image acme/scorer:1.5.0)</span></td></tr>');
    expect(html).toContain('<tr><th>agent ledger</th><td class="agent-version">unknown <span class="version-source">(image acme/ledger has no tag)</span></td></tr>');
    expect(html).toContain('<tr><th>--set</th><td><code>agents.scorer.image&#x3D;acme/scorer:1.5.0</code><br><code>agents.scorer.replicas&#x3D;3</code><br></td></tr>');
  });

  it('a journal whose versions are not what a drill writes is JOURNAL_INVALID, naming the field', async () => {
    const bad = buildJournal({ fleet: { ...fleet, versions: { scorer: { version: 15, from: 'image' } } as never } });
    const file = join(dir, 'journal.json');
    await writeFile(file, JSON.stringify({ format: 'agentdrill-journal/1', events: bad }));
    const error = (await readJournal(file).catch((e: unknown) => e)) as { code: string; problems: { message: string }[] };
    expect(error.code).toBe('JOURNAL_INVALID');
    expect(error.problems[0]!.message).toContain('fleet.versions.scorer.version');
  });
});
