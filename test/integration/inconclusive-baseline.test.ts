import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { eventsOfType } from '../../src/core/journal.ts';
import { processesWithMarker } from '../helpers/cli.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

// A steady state that can never hold (no fleet here does 100k events/s): the drill must not
// inject, must end inconclusive, and must say which condition failed, with its values and the
// machine's load, in every output a person or CI reads.
describe('a baseline that can never hold', () => {
  it('ends inconclusive naming the condition, its last values and the load, in the terminal, JSON, journal, JUnit and report', async () => {
    const impossible = 'throughput(group=inventory) >= 100000/s';
    const scenario = scenarioVariant('downstream-backlog', { baseline: '12s', 'steadyState.conditions': [impossible] });
    const junit = path.join(path.dirname(scenario), 'junit.xml');
    const run = await drillViaCli(scenario, ['--junit', junit]);
    expect(run.code, run.stderr.slice(-2000)).toBe(3);
    expect(run.result.verdict).toBe('inconclusive');
    const reason = run.result.reasons.join('\n');
    expect(reason).toContain(impossible);
    expect(reason).toMatch(/failed \d+ of \d+ samples \(last: [\d.]+\/s/);
    expect(reason).toContain('load average');

    // The journal: warm-up measured apart and finished, the baseline's evidence, no fault.
    const warmup = eventsOfType(run.events, 'warmup.finished')[0]!.payload;
    expect(warmup.ok).toBe(true);
    expect(warmup.groups.inventory).toMatchObject({ ready: true, caughtUp: true });
    const unhealthy = eventsOfType(run.events, 'baseline.unhealthy')[0]!.payload;
    expect(unhealthy.failing.map((f) => f.condition)).toEqual([impossible]);
    expect(unhealthy.failing[0]!.lastValues.length).toBeGreaterThan(0);
    expect(unhealthy.load.cpus).toBeGreaterThan(0);
    expect(eventsOfType(run.events, 'fault.injected')).toEqual([]);
    expect(eventsOfType(run.events, 'warmup.finished')[0]!.at).toBeLessThan(eventsOfType(run.events, 'phase.started').find((p) => p.payload.phase === 'baseline')!.at + 1);

    // The terminal, JUnit and the report carry the same reason.
    expect(run.stderr).toContain(impossible);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8')) as { testsuites: { testsuite: { testcase: { skipped?: { '@_message': string } } } } };
    expect(xml.testsuites.testsuite.testcase.skipped?.['@_message']).toContain(impossible);
    // The report escapes its text (Handlebars writes = as &#x3D;): compare the decoded reasons.
    const html = readFileSync(run.result.report!, 'utf8').replace(/&#x3D;/g, '=').replace(/&gt;/g, '>').replace(/&lt;/g, '<');
    const reasons = html.slice(html.indexOf('class="reasons"'), html.indexOf('</section>', html.indexOf('class="reasons"')));
    expect(reasons).toContain(`${impossible} failed`);
    expect(reasons).toContain('load average');
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
