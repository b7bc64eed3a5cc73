import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JournalFile } from '../../src/core/journal.ts';
import { memorySeries } from '../../src/report/chart/memory.ts';
import { fleetMarkers } from '../../src/report/fleet-markers.ts';
import { renderHtmlReport } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { buildJournal } from './fixtures/journal-fixture.ts';

const realJournal = (JSON.parse(readFileSync(new URL('../fixtures/journals/downstream-backlog.json', import.meta.url), 'utf8')) as JournalFile).events;
const t0 = buildJournal().find((e) => e.type === 'fault.injected')!.at;

describe('memory panel', () => {
  it('draws RSS in MB per agent instance, coloured like its group', () => {
    const html = renderHtmlReport(buildJournal());
    expect(html).toContain('id="memory"');
    expect(html).toContain('memory (RSS) (MB)');
    const stroke = (name: string) => new RegExp(`stroke="(#[0-9a-f]{6})" data-group="${name}"`).exec(html)?.[1];
    expect(stroke('inventory-1')).toBeDefined();
    expect(stroke('inventory-1')).toBe(stroke('inventory'));
  });

  it('ends an instance line while it is down instead of bridging the gap', () => {
    const events = buildJournal({ crash: { afterMs: 10_000, signal: 'SIGABRT', code: null } });
    const fulfillment = memorySeries(events, t0).filter((s) => s.name === 'fulfillment-1');
    expect(fulfillment).toHaveLength(2);
    expect(fulfillment[0]!.points.at(-1)!.x).toBeLessThan(10_000);
    expect(fulfillment[1]!.points[0]!.x).toBeGreaterThanOrEqual(12_000);
    expect(fulfillment.flatMap((s) => s.points).every((p) => p.y === 82)).toBe(true);
  });

  it('is left out when the samples carry no agents', () => {
    const events = buildJournal();
    for (const e of events) if (e.type === 'sample') (e.payload as { agents: object }).agents = {};
    expect(renderHtmlReport(events)).not.toContain('id="memory"');
  });
});

describe('fleet markers', () => {
  it.each([
    ['SIGABRT', null, false, 'oom', 'OOM', 'heap limit reached'],
    [null, 137, true, 'oom', 'OOM', 'kernel OOM killer'],
    ['SIGKILL', null, false, 'exit', 'killed', 'a fault, kill -9'],
    [null, 1, false, 'exit', 'exit', 'code 1'],
  ] as const)('marks an unexpected exit (signal %s, code %s, OOMKilled %s) as %s', (signal, code, oomKilled, kind, label, words) => {
    const markers = fleetMarkers(buildJournal({ crash: { afterMs: 10_000, signal, code, oomKilled } }), t0);
    const exit = markers.find((m) => m.kind === kind);
    expect(exit).toMatchObject({ x: 10_000, label });
    expect(exit!.title).toContain('fulfillment-1 exited unexpectedly at +10s');
    expect(exit!.title).toContain(words);
  });

  it('says when the agent’s restart policy left an exit down', () => {
    const events = buildJournal({ crash: { afterMs: 10_000, signal: 'SIGKILL', code: null } });
    const exited = events.find((e) => e.type === 'fleet.event' && (e.payload as { type: string }).type === 'instance.exited')!;
    Object.assign((exited.payload as { detail: object }).detail, { restartPolicy: 'never', restarting: false });
    expect(fleetMarkers(events, t0).find((m) => m.kind === 'exit')!.title).toMatch(/; not restarted \(restart: never\)$/);
    expect(fleetMarkers(buildJournal({ crash: { afterMs: 10_000, signal: 'SIGKILL', code: null } }), t0).find((m) => m.kind === 'exit')!.title).not.toContain('not restarted');
  });

  it('ignores exits the supervisor asked for (the real drill stops every instance at teardown)', () => {
    expect(fleetMarkers(realJournal, 0).filter((m) => m.kind === 'oom' || m.kind === 'exit')).toEqual([]);
  });

  it('marks each period a group spends outside Stable, with how long it lasted', () => {
    const markers = fleetMarkers(buildJournal({ rebalance: { afterMs: 8_000, forMs: 1_500 } }), t0);
    expect(markers).toEqual([
      { kind: 'rebalance', x: 8_000, label: 'rebalance', title: 'inventory PreparingRebalance at +8s for 1.5s, 2 members' },
    ]);
  });

  it('finds the rebalance the real drill went through when it scaled out', () => {
    const fault = realJournal.find((e) => e.type === 'fault.injected')!.at;
    const rebalances = fleetMarkers(realJournal, fault).filter((m) => m.kind === 'rebalance');
    expect(rebalances).toHaveLength(1);
    expect(rebalances[0]!.title).toMatch(/^inventory PreparingRebalance at \+\d+(\.\d)?s for 1s, 3 members$/);
  });

  it('draws them in the chart and lists only the kinds present in the legend', () => {
    const plain = renderHtmlReport(buildJournal());
    expect(plain).not.toContain('OOM exit');
    const html = renderHtmlReport(buildJournal({ crash: { afterMs: 10_000, signal: 'SIGABRT', code: null }, rebalance: { afterMs: 8_000, forMs: 1_000 } }));
    expect(html).toContain('data-kind="oom"');
    expect(html).toContain('data-kind="rebalance"');
    expect(html).toContain('OOM exit');
    expect(html).toContain('group rebalance');
  });
});

describe('environment', () => {
  it("shows the runbook's git revision when the drill recorded one", () => {
    const rev = '0123456789abcdef0123456789abcdef01234567+dirty';
    expect(renderHtmlReport(buildJournal({ runbookGitRevision: rev }))).toContain(`git revision <span class="checksum git-revision">${rev}</span>`);
    expect(renderHtmlReport(buildJournal())).not.toContain('git revision');
  });

  it('shows versions and both checksums of the real drill', () => {
    const html = renderHtmlReport(realJournal);
    for (const s of ['4.1.1', 'v2.12.0', 'v20.20.2', 'sha256:7fc1c888', 'sha256:88e48218']) expect(html).toContain(s);
  });
});

describe('fault extension events', () => {
  it('marks observations, lists group states and assessments, and shows fault figures', () => {
    const events = buildJournal();
    const at = t0 + 7_000;
    events.push(
      { type: 'observation', at, payload: { kind: 'oom.killed', instanceId: 'decision-1', detail: {} } },
      { type: 'observation', at: at + 1_000, payload: { kind: 'state.corrupted', agent: 'decision', detail: { file: 'state.json' } } },
      { type: 'group.state', at, payload: { group: 'inventory', from: 'Stable', to: 'PreparingRebalance' } },
      { type: 'fault.assessed', at: at + 60_000, payload: { fault: 'corrupt-state', figures: { blastRadius: 2 }, failures: ['state differs'] } },
    );
    const score = scoreDrill(events);
    events.push({ type: 'score', at: at + 61_000, payload: { ...score, faultFigures: { blastRadius: 2, pauseMs: null } } });
    const markers = fleetMarkers(events, t0);
    expect(markers.map((m) => [m.kind, m.label])).toEqual([['oom', 'OOM'], ['observation', 'state.corrupted']]);
    const html = renderHtmlReport(events);
    expect(html).toContain('inventory: Stable → PreparingRebalance');
    expect(html).toContain('failed: state differs');
    expect(html).toMatch(/<tr><th>blastRadius<\/th><td>2<\/td><\/tr><tr><th>pauseMs<\/th><td>—<\/td><\/tr>/);
  });
});
