import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { localImages, removeImages } from '../../src/infra/docker/images/prune.ts';
import { AgentdrillError } from '../../src/core/errors.ts';
import { validateFleetText } from '../../src/fleet/definition/load.ts';
import { buildTeamImages } from '../../src/fleet/team/images.ts';

// Needs a Docker engine: `npm test` provides one (scripts/docker-engine.mjs); never skipped.
// Own repository name, so the images other drills use on the same engine are never touched.
const run = promisify(execFile);
const repository = `agentdrill-prunetest-${process.pid}`;
const context = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-prunetest-'));
let container: string | undefined;

afterAll(async () => {
  if (container) await run('docker', ['rm', '-f', container]).catch(() => undefined);
  const { stdout } = await run('docker', ['images', '--filter', `reference=${repository}`, '--format', '{{.Repository}}:{{.Tag}}']);
  for (const ref of stdout.split('\n').filter(Boolean)) await run('docker', ['rmi', '-f', ref]).catch(() => undefined);
  fs.rmSync(context, { recursive: true, force: true });
});

it('removeImages removes unused images and keeps one a container still uses', async () => {
  // Two tiny distinct images FROM scratch (no registry needed): one file each.
  for (const n of ['a', 'b']) {
    fs.writeFileSync(path.join(context, 'marker'), n);
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY marker /marker\n');
    await run('docker', ['build', '-q', '-t', `${repository}:${n}`, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  }
  // A created (never started) container is enough for the engine to refuse removing its image.
  container = (await run('docker', ['create', `${repository}:a`, '/marker'])).stdout.trim();

  const listed = await localImages(repository);
  expect(listed.map((i) => i.ref).sort()).toEqual([`${repository}:a`, `${repository}:b`]);
  expect(listed.every((i) => i.repository === repository)).toBe(true);

  const outcome = await removeImages(listed.map((i) => i.ref));
  expect(outcome.removed).toEqual([`${repository}:b`]);
  expect(outcome.inUse).toEqual([`${repository}:a`]);
  expect((await localImages(repository)).map((i) => i.ref)).toEqual([`${repository}:a`]);
});

it('a team image whose base cannot be pulled fails naming the base (its build argument filled in) and the argument to change', async () => {
  const dir = fs.mkdtempSync(path.join(context, 'team-'));
  fs.mkdirSync(path.join(dir, 'image'));
  fs.writeFileSync(path.join(dir, 'image', 'Dockerfile'), 'ARG BASE=scratch\nFROM ${BASE}\n');
  // .invalid never resolves (RFC 2606): the same failure as a registry that does not answer.
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(
    file,
    `name: basetest
topics: { in: { partitions: 1 } }
agents:
  worker:
    image: ${repository}:base
    build: { context: image, args: { BASE: "registry.agentdrill.invalid/base:1" } }
    consumes: { topic: in }
load: { topic: in, rate: 1/s, value: { template: "{}" } }
`,
  );
  const { fleet } = validateFleetText(fs.readFileSync(file, 'utf8'), file);
  const at = { prefix: 'ad-img123-', bootstrap: '127.0.0.1:1', deps: {}, env: {} };
  const failed = await buildTeamImages(fleet, at, () => undefined).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(AgentdrillError);
  expect((failed as AgentdrillError).code).toBe('FLEET_FAILED');
  expect((failed as AgentdrillError).context).toMatchObject({ base: 'registry.agentdrill.invalid/base:1' });
  expect((failed as AgentdrillError).hint).toContain('agents.worker.build.args.BASE');
});
