import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { AgentdrillError, type Problem } from '../../src/core/errors.ts';
import { eventsOfType } from '../../src/core/journal.ts';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { prepareDrill } from '../../src/drill/prepare.ts';
import { runDrill } from '../../src/drill/run-drill.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { agentVersion, imageTag } from '../../src/fleet/release/agent-version.ts';
import { parseSetFlags } from '../../src/fleet/release/set-flag.ts';
import { readJournal, writeJournal } from '../../src/report/index.ts';
import { releaseFromJournal } from '../../src/report/release-view.ts';

const examples = path.resolve('examples/payments');
const example = readFileSync(path.join(examples, 'fleet.yaml'), 'utf8');
const file = path.join(os.tmpdir(), 'agentdrill-unbuilt-example', 'fleet.yaml');
const env = { PATH: process.env.PATH };
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('an agent’s version', () => {
  it('is an image’s tag, else its digest; a registry port is not a tag, and a bare name has none', () => {
    expect(imageTag('acme/scorer:1.5.0')).toBe('1.5.0');
    expect(imageTag('registry.local:5000/team/scorer:2')).toBe('2');
    expect(imageTag('registry.local:5000/team/scorer')).toBeUndefined();
    expect(imageTag('scorer')).toBeUndefined();
    expect(imageTag('scorer@sha256:0a1b')).toBe('sha256:0a1b');
    expect(imageTag('scorer:1.0@sha256:0a1b')).toBe('1.0');
  });

  it('finds the tag behind any registry, port and path', () => {
    const part = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/);
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    fc.assert(
      fc.property(part, fc.integer({ min: 1, max: 65_535 }), fc.array(part, { minLength: 1, maxLength: 3 }), fc.option(tag, { nil: undefined }), (host, port, names, t) => {
        const image = `${host}:${port}/${names.join('/')}${t === undefined ? '' : `:${t}`}`;
        expect(imageTag(image)).toBe(t);
      }),
    );
  });

  it('comes from version: first, with ${env.NAME} filled or its fallback, else from the image', () => {
    const agent = { version: '${env.SCORER_VERSION:-dev}', image: 'acme/scorer:${env.SCORER_TAG:-latest-build}' };
    expect(agentVersion(agent, { SCORER_VERSION: '1.5.0', SCORER_TAG: '1.5.0-b7' })).toEqual({ version: '1.5.0', from: 'version', image: 'acme/scorer:1.5.0-b7' });
    expect(agentVersion(agent, {})).toEqual({ version: 'dev', from: 'version', image: 'acme/scorer:latest-build' });
    expect(agentVersion({ image: agent.image }, { SCORER_TAG: '1.4.2' })).toEqual({ version: '1.4.2', from: 'image', image: 'acme/scorer:1.4.2' });
    expect(agentVersion({ image: 'acme/scorer' }, {})).toEqual({ version: null, from: null, image: 'acme/scorer' });
    expect(agentVersion({}, {})).toEqual({ version: null, from: null });
    // What no drill can know before it starts, or a tag that is not one line, is unknown rather than garbled.
    expect(agentVersion({ image: 'acme/scorer:${env.TAG}' }, {}).version).toBeNull();
    expect(agentVersion({ image: 'acme/scorer:${env.TAG}' }, { TAG: 'a\nb' }).version).toBeNull();
  });

  it('refuses, at its line, a version: that names more than the environment, or an unset variable without a fallback', () => {
    const problemsOf = (text: string, vars: NodeJS.ProcessEnv): Problem[] => {
      try {
        validateFleetText(text, file, { ...env, ...vars });
      } catch (e) {
        expect((e as AgentdrillError).code).toBe('FLEET_INVALID');
        return [...(e as AgentdrillError).problems];
      }
      throw new Error('accepted');
    };
    const withVersion = (v: string) => example.replace('    replicas: 2\n', `    replicas: 2\n    version: "${v}"\n`);
    const line = withVersion('x').split('\n').findIndex((l) => l.startsWith('    version:')) + 1;
    expect(problemsOf(withVersion('${instance.id}'), {})).toEqual([expect.objectContaining({ line, message: 'agents.scorer.version: "${instance.id}" is not known in version: only ${env.NAME} is' })]);
    expect(problemsOf(withVersion('${env.SCORER_BUILD}'), {})).toEqual([expect.objectContaining({ line, message: 'agents.scorer.version uses ${env.SCORER_BUILD}, which is not set' })]);
    expect(validateFleetText(withVersion('${env.SCORER_BUILD}'), file, { ...env, SCORER_BUILD: '7' }).fleet.agents.scorer!.version).toBe('${env.SCORER_BUILD}');
  });
});

describe('the release a drill runs', () => {
  /** The example's latency drill, moved next to nothing, its paths made absolute and edited. */
  function drillVariant(edit: (text: string) => string = (t) => t): string {
    const dir = tempDir('agentdrill-release-');
    const text = readFileSync(path.join(examples, 'drills', 'fraud-api-latency.yaml'), 'utf8')
      .replace('../fleet.yaml', path.join(examples, 'fleet.yaml'))
      .replace('../runbook.md', path.join(examples, 'runbook.md'));
    writeFileSync(path.join(dir, 'drill.yaml'), edit(text));
    return path.join(dir, 'drill.yaml');
  }

  it('is planned with each agent’s version and the --set flags, which win over the scenario’s replicas and rate', async () => {
    const scenarioFile = drillVariant((t) => t.replace(/^fleet: .*$/m, (l) => `fleet: { file: ${l.slice(7)}, replicas: { scorer: 5, ledger: 2 } }\nload: { rate: 20/s }`));
    const overrides = parseSetFlags(['agents.scorer.image=acme/scorer:1.5.0', 'agents.scorer.replicas=3', 'load.rate=30']);
    const { plan } = await prepareDrill({ scenarioFile, overrides, env: { LEDGER_VERSION: '2.0.1' } });
    if (plan.fleet.kind !== 'file') throw new Error('expected the fleet file');
    expect(plan.fleet.replicas).toEqual({ scorer: 3, ledger: 2 });
    expect(plan.fleet.ratePerSec).toBe(30);
    expect(plan.fleet.versions).toEqual({
      scorer: { version: '1.5.0', from: 'image', image: 'acme/scorer:1.5.0' },
      ledger: { version: '2.0.1', from: 'image', image: 'agentdrill-example/payments-ledger:2.0.1' },
    });
    expect(plan.fleet.overrides).toEqual([
      { path: 'agents.scorer.image', value: 'acme/scorer:1.5.0' },
      { path: 'agents.scorer.replicas', value: '3' },
      { path: 'load.rate', value: '30' },
    ]);
  });

  it('is in the journal’s drill.started, which reads back whole, even when the drill never got further', async () => {
    const { plan } = await prepareDrill({ scenarioFile: drillVariant(), overrides: parseSetFlags(['agents.scorer.version=1.5.0', 'agents.scorer.command.env.SCORER_VERSION=1.5.0']), env: {} });
    const journal = await runDrill({
      plan,
      // Provisioning fails at once: what was recorded before it is what is under test.
      provider: { kind: 'failing', start: () => Promise.reject(new AgentdrillError('INFRA_START_FAILED', 'no broker here')) },
      settings: settingsFromEnv(),
      clock: systemClock,
      detection: undefined as never,
      evaluate: () => ({ holds: true, failing: [] }),
      progress: () => undefined,
      signal: new AbortController().signal,
      versions: { agentdrill: 'test' },
      random: () => 0,
    });
    const started = eventsOfType(journal.events, 'drill.started')[0]!.payload;
    expect(started.fleet).toMatchObject({
      versions: { scorer: { version: '1.5.0', from: 'version', image: 'agentdrill-example/payments-scorer:dev' }, ledger: { version: 'dev', from: 'image' } },
      overrides: [
        { path: 'agents.scorer.version', value: '1.5.0' },
        { path: 'agents.scorer.command.env.SCORER_VERSION', value: '1.5.0' },
      ],
    });
    const dir = tempDir('agentdrill-release-journal-');
    const back = await readJournal(await writeJournal(dir, journal.events));
    expect(back.events).toEqual(journal.events);
    expect(releaseFromJournal(back.events)).toEqual({
      versions: { scorer: '1.5.0', ledger: 'dev' },
      overrides: [
        { path: 'agents.scorer.version', value: '1.5.0' },
        { path: 'agents.scorer.command.env.SCORER_VERSION', value: '1.5.0' },
      ],
    });
  });
});
