import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { localProvider } from '../../src/infra/local/index.ts';
import type { StartedInfra } from '../../src/infra/provider.ts';
import type { JsonResult } from '../../src/report/index.ts';
import { processesWithMarker, runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

describe('--provider external: a standing Kafka and Toxiproxy the drill did not start', () => {
  let standing: StartedInfra;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-standing-'));
  beforeAll(async () => {
    standing = await localProvider.start({ settings: settingsFromEnv(), progress: () => undefined, workDir });
  });
  afterAll(async () => {
    await standing.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the drill against it, and leaves the standing environment running', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-ext-'));
    const scenario = scenarioVariant('downstream-backlog', {});
    const env = { AGENTDRILL_BOOTSTRAP_SERVERS: standing.kafka.bootstrapServers.join(','), AGENTDRILL_TOXIPROXY_URL: standing.toxiproxy.apiUrl };
    const run = await runCli(['run', scenario, '--provider', 'external', '--json', '--out', path.join(out, 'drill')], { env });
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as JsonResult;
    expect(result.verdict, run.stderr).toBe('passed');
    expect(run.code).toBe(0);
    expect(result.integrity!.lost).toBe(0);
    const journal = JSON.parse(readFileSync(result.journal!, 'utf8')) as { events: { type: string; payload: { provider?: string } }[] };
    expect(journal.events.find((e) => e.type === 'drill.started')!.payload.provider).toBe('external');
    // The drill's agents are gone; the environment it borrowed is still up.
    expect(processesWithMarker(run.marker)).toEqual([]);
    const version = await fetch(`${standing.toxiproxy.apiUrl}/version`);
    expect(version.ok).toBe(true);
    // ...and the drill took its own topics and groups with it.
    const admin = new Kafka({ brokers: standing.kafka.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => t.startsWith('ad-'))).toEqual([]);
      expect((await admin.listGroups()).groups.filter((g) => g.groupId.startsWith('ad-'))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('says plainly when nothing answers there (exit 4, INFRA_START_FAILED)', async () => {
    const run = await runCli(['run', scenarioVariant('downstream-backlog', {}), '--provider', 'external', '--json', '--out', mkdtempSync(path.join(os.tmpdir(), 'x-'))], {
      env: { AGENTDRILL_TOXIPROXY_URL: 'http://127.0.0.1:1' },
    });
    expect(run.code).toBe(4);
    expect(run.stdout + run.stderr).toContain('INFRA_START_FAILED');
  });
});
