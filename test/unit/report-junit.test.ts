import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, writeJunit, type JunitResult } from '../../src/report/index.ts';

const targets = { detectMs: 20_000, recoverMs: 90_000 };
const results: JunitResult[] = [
  { scenario: 'downstream-backlog', verdict: 'passed', reasons: [], ttdMs: 3_733, ttrMs: 14_247, targets, durationMs: 42_082 },
  {
    scenario: 'consumer-crash',
    verdict: 'failed',
    reasons: ['detect: 24.1s > 20s target', 'recover: not recovered within 90s target', 'integrity: 3 events lost'],
    ttdMs: 24_100,
    ttrMs: null,
    targets,
    durationMs: 130_500,
  },
  { scenario: 'poison-pill', verdict: 'error', reasons: ['error: BROKER_START: the broker did not start'], ttdMs: undefined, ttrMs: undefined, targets, durationMs: 5_000 },
  { scenario: 'memory-leak', verdict: 'inconclusive', reasons: ['the fault never moved the fleet off its steady state'], ttdMs: undefined, ttrMs: undefined, targets, durationMs: 61_000 },
];

type Case = { '@_name': string; '@_classname': string; '@_time': string; failure?: Outcome; error?: Outcome; skipped?: Outcome; 'system-out'?: string };
type Outcome = { '@_message': string; '@_type'?: string; '#text'?: string } | '';

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(xml) as {
    testsuites: { testsuite: { '@_name': string; '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; testcase: Case[] }[] };
  };
  expect(doc.testsuites.testsuite).toHaveLength(1);
  return doc.testsuites.testsuite[0]!;
}

describe('renderJunit', () => {
  it('has one testsuite named agentdrill and one testcase per scenario, timed in seconds', () => {
    const suite = parse(renderJunit(results));
    expect(suite).toMatchObject({ '@_name': 'agentdrill', '@_tests': '4', '@_failures': '1', '@_errors': '1', '@_skipped': '1' });
    expect(suite.testcase.map((c) => [c['@_classname'], c['@_name'], c['@_time']])).toEqual([
      ['agentdrill', 'downstream-backlog', '42.082'],
      ['agentdrill', 'consumer-crash', '130.500'],
      ['agentdrill', 'poison-pill', '5.000'],
      ['agentdrill', 'memory-leak', '61.000'],
    ]);
  });

  it('maps passed to a bare testcase, failed to <failure>, error to <error>, inconclusive to <skipped>', () => {
    const [passed, failed, error, inconclusive] = parse(renderJunit(results)).testcase;
    expect(passed!.failure ?? passed!.error ?? passed!.skipped).toBeUndefined();
    expect(passed!['system-out']).toContain('time to detect: 3.7s (target 20s, met)');
    expect(failed!.failure).toMatchObject({
      '@_type': 'missed-target',
      '@_message': 'detect: 24.1s > 20s target; recover: not recovered within 90s target; integrity: 3 events lost',
    });
    const body = (failed!.failure as { '#text': string })['#text'];
    expect(body).toContain('time to detect: 24.1s (target 20s, MISSED)');
    expect(body).toContain('time to recover: — (target 90s, not measured)');
    expect(error!.error).toMatchObject({ '@_type': 'harness-error', '@_message': 'error: BROKER_START: the broker did not start' });
    expect(inconclusive!.skipped).toMatchObject({ '@_message': 'inconclusive: the fault never moved the fleet off its steady state' });
  });

  it('escapes markup and replaces characters XML cannot carry', () => {
    const evil = '<script>alert("x")</script> & \u001b[31mred\u001b[0m \u0000';
    const xml = renderJunit([{ ...results[1]!, scenario: `a"b<c>&'d\ne`, reasons: [evil] }]);
    expect(xml).not.toContain('<script>');
    parse(xml);
    const decoded = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(xml) as { testsuites: { testsuite: { testcase: Case } } };
    const tc = decoded.testsuites.testsuite.testcase;
    expect(tc['@_name']).toBe(`a"b<c>&'d\ne`);
    expect((tc.failure as { '@_message': string })['@_message']).toBe('<script>alert("x")</script> & \uFFFD[31mred\uFFFD[0m \uFFFD');
  });

  it('is a valid empty suite with no results', () => {
    expect(parse(renderJunit([]))).toMatchObject({ '@_tests': '0' });
  });
});

describe('writeJunit', () => {
  it('writes the file, creating its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agentdrill-junit-'));
    try {
      const file = await writeJunit(join(dir, 'ci', 'junit.xml'), results);
      expect(parse(await readFile(file, 'utf8')).testcase).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
