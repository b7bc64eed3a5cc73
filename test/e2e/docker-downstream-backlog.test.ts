import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { EventPayloads } from '../../src/core/events.ts';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import { labelled } from '../../src/infra/docker/gc.ts';
import type { JsonResult } from '../../src/report/index.ts';
import { runCli } from '../helpers/cli.ts';
import { orderPipelineDockerEnv, scenarioVariant } from '../helpers/scenario-variant.ts';

/**
 * The drill's own containers and network are gone. By the drill's label, not agentdrill=1: another
 * file's leftovers are that file's failure (test/integration/docker-leak-check.ts names it).
 */
async function expectNothingLeft(events: JournalFile['events']): Promise<void> {
  const left = await labelled(eventsOfType(events, 'drill.started')[0]!.payload.drillId);
  expect(left.containers).toEqual([]);
  expect(left.networks).toEqual([]);
}

// The shipped drill, unchanged but for `provider: docker`: Kafka and Toxiproxy in containers, the
// agents as local processes (AGENTDRILL_DOCKER_AGENTS=process). Needs the engine `npm test` provides; never skipped.
it('downstream-backlog passes with provider: docker, agents as processes, and leaves no labelled container or network', async () => {
  const scenario = scenarioVariant('downstream-backlog', { provider: 'docker' });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-report-'));
  try {
    const result = await runCli(['run', scenario, '--out', out, '--json'], { env: { AGENTDRILL_DOCKER_AGENTS: 'process' } });
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(JSON.stringify(json)).toContain('"lost":0');
    await expectNothingLeft((JSON.parse(fs.readFileSync(json.journal as string, 'utf8')) as JournalFile).events);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

// The same drill with every agent in its own container (the default; set explicitly here), from the
// image the fleet file builds: the runbook's scale-out adds containers, and the broker sees them
// join the inventory group.
it('downstream-backlog passes with agents in containers; scale-out brings the inventory group to 3 members', async () => {
  const scenario = scenarioVariant('downstream-backlog', { provider: 'docker' });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-docker-agents-report-'));
  try {
    const result = await runCli(['run', scenario, '--out', out, '--json'], { env: { AGENTDRILL_DOCKER_AGENTS: 'container', ...orderPipelineDockerEnv() } });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    // The fleet file's one image, built once for its four agents from the example's Dockerfile.
    expect(result.stderr.match(/image: building agentdrill-example\/order-pipeline:dev /g)).toHaveLength(1);
    const json = JSON.parse(result.stdout.trim().split('\n').pop()!) as JsonResult;
    expect(json.integrity!.lost).toBe(0);
    const events = (JSON.parse(fs.readFileSync(json.journal!, 'utf8')) as JournalFile).events;
    const scaleOut = eventsOfType(events, 'step.finished').find((s) => s.payload.name === 'scale-out');
    expect(scaleOut?.payload.exitCode).toBe(0);
    const members = eventsOfType(events, 'sample')
      .filter((e) => e.at > scaleOut!.payload.endedAt)
      .map((e) => (e.payload as EventPayloads['sample']).groups.inventory?.members ?? 0);
    expect(Math.max(...members)).toBeGreaterThanOrEqual(3);
    await expectNothingLeft(events);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
