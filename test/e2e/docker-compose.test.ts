import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { buildComposeImages, type ComposeImages } from '../../src/infra/docker/images/index.ts';
import { brokerJvmArgs, renderServerProperties } from '../../src/infra/local/kafka-config.ts';
import { drillViaCli } from '../helpers/drill.ts';
import { repoRoot } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

// docker-compose.yml as a team with a standing environment uses it (issue 7): up, healthy, a drill
// with --provider external, down. Needs the engine and the Compose CLI `npm test` provides
// (scripts/docker-engine.mjs installs Debian's docker-compose as root); never skipped.
const composeFile = path.join(repoRoot, 'docker-compose.yml');

interface ComposeService {
  image: string;
  entrypoint: string[];
  healthcheck: { test: string[] };
  network_mode?: string;
  ports?: string[];
}
const services = (parse(readFileSync(composeFile, 'utf8')) as { services: Record<'kafka' | 'toxiproxy', ComposeService> }).services;

describe('docker-compose.yml', () => {
  it('starts Kafka with the local provider’s broker tuning and JVM flags (only the listeners and data dir differ)', () => {
    const script = services.kafka.entrypoint.at(-1)!;
    const heredoc = /cat > \/tmp\/agentdrill\/server\.properties <<EOF\n([\s\S]*?)\nEOF/.exec(script)?.[1];
    expect(heredoc, 'the server.properties heredoc in the kafka entrypoint').toBeDefined();
    const asMap = (text: string) => new Map(text.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const compose = asMap(heredoc!);
    const local = asMap(renderServerProperties({ host: 'localhost', brokerPort: 9092, controllerPort: 19093, logDir: '/data' }));
    expect([...compose.keys()].sort()).toEqual([...local.keys()].sort());
    const differ = new Set(['listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name', 'log.dirs']);
    for (const [key, value] of local) if (!differ.has(key)) expect(`${key}=${compose.get(key)}`).toBe(`${key}=${value}`);
    // `$$` is Compose's escape: the container's shell expands the port, set from the same variable as the published one.
    expect(compose.get('advertised.listeners')).toMatch(/^HOST:\/\/127\.0\.0\.1:\$\$\{AGENTDRILL_KAFKA_PORT\},/);
    expect(script).toContain(`JVM="${brokerJvmArgs.join(' ')} `);
    for (const port of services.kafka.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(services.toxiproxy.network_mode).toBe('host');
    expect(services.toxiproxy.entrypoint.slice(0, 3)).toEqual(['/toxiproxy', '-host', '127.0.0.1']);
  });

  it('comes up healthy on the locally built images, a drill passes against it with --provider external, and down leaves nothing', async () => {
    const compose = composeCli();
    const settings = settingsFromEnv();
    // AGENTDRILL_DOCKER_IMAGES=registry: the file's defaults (official images, pulled by compose);
    // otherwise the local images under their stable names, as `agentdrill images build --compose-env` writes them.
    const imageEnv: Partial<ComposeImages['env']> = settings.docker.images === 'registry' ? {} : (await buildComposeImages(settings, (m) => console.log(`[images] ${m}`))).env;
    const [kafkaPort, toxiproxyPort] = await freePorts(2);
    const project = `agentdrill-compose-${process.pid}-${Date.now().toString(36)}`;
    const env = { ...process.env, ...imageEnv, AGENTDRILL_KAFKA_PORT: String(kafkaPort), AGENTDRILL_TOXIPROXY_PORT: String(toxiproxyPort) };
    const composeRun = (args: string[], timeoutMs = 120_000) => run(compose[0]!, [...compose.slice(1), '-p', project, '-f', composeFile, ...args], env, timeoutMs);
    let down: Promise<string> | undefined;
    const takeDown = () => (down ??= composeRun(['down', '-v', '--remove-orphans', '-t', '10']));
    // Also on failure or timeout: a standing environment left by a test would hold its ports.
    onTestFinished(async () => {
      await takeDown();
    });

    await composeRun(['up', '-d'], 300_000);
    const ids = (await composeRun(['ps', '-q'])).split('\n').filter(Boolean);
    expect(ids).toHaveLength(2);
    const health = await waitHealthy(ids, 240_000);
    const byService = Object.fromEntries(health.map((c) => [c.service, c]));
    expect(Object.keys(byService).sort()).toEqual(['kafka', 'toxiproxy']);
    for (const c of health) expect(c.status, `${c.service}: ${c.lastOutput}`).toBe('healthy');
    if (imageEnv.AGENTDRILL_KAFKA_IMAGE) {
      expect(byService.kafka!.image).toBe(imageEnv.AGENTDRILL_KAFKA_IMAGE);
      expect(byService.toxiproxy!.image).toBe(imageEnv.AGENTDRILL_TOXIPROXY_IMAGE);
    }
    // Published on 127.0.0.1 only; Toxiproxy on the host network with its API on 127.0.0.1.
    expect(byService.kafka!.hostIps).toEqual(['127.0.0.1']);
    expect(byService.toxiproxy!.networkMode).toBe('host');

    const drill = await drillViaCli(scenarioVariant('downstream-backlog', {}), ['--provider', 'external'], {
      AGENTDRILL_BOOTSTRAP_SERVERS: `127.0.0.1:${kafkaPort}`,
      AGENTDRILL_TOXIPROXY_URL: `http://127.0.0.1:${toxiproxyPort}`,
    });
    try {
      console.log(`[compose] drill ${drill.result.verdict}: TTD ${drill.result.ttdMs} ms, TTR ${drill.result.ttrMs} ms, wall ${(drill.wallMs / 1000).toFixed(1)} s`);
      expect(drill.result.verdict, drill.stderr.slice(-3000)).toBe('passed');
      expect(drill.code).toBe(0);
      expect(drill.result.integrity!.lost).toBe(0);
      expect(drill.events.find((e) => e.type === 'drill.started')?.payload).toMatchObject({ provider: 'external' });
      // The fault went through the compose Toxiproxy: its proxy was started there, and removed.
      const toxiproxyLog = await run('docker', ['logs', byService.toxiproxy!.id], env, 30_000, true);
      expect(toxiproxyLog).toMatch(/inventory-api.*"Started proxy"/);
      expect(toxiproxyLog).toMatch(/inventory-api.*"Terminated proxy"/);
      expect(await (await fetch(`http://127.0.0.1:${toxiproxyPort}/proxies`)).json()).toEqual({});
    } finally {
      rmSync(path.dirname(drill.out), { recursive: true, force: true });
    }

    await takeDown();
    const left = (args: string[]) =>
      run('docker', [...args, '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}}'], env, 30_000).then((s) => s.trim());
    expect(await left(['ps', '-a'])).toBe('');
    expect(await left(['network', 'ls'])).toBe('');
    expect(await left(['volume', 'ls'])).toBe('');
  });
});

/** `docker compose` (v2) if it answers, else `docker-compose` (Debian's 1.29); else one clear failure. */
function composeCli(): string[] {
  for (const words of [['docker', 'compose'], ['docker-compose']]) {
    if (spawnSync(words[0]!, [...words.slice(1), 'version'], { stdio: 'ignore', timeout: 30_000 }).status === 0) return words;
  }
  throw new Error('Neither `docker compose` nor `docker-compose` answers: run the tests with `npm test` (as root it installs Debian docker-compose)');
}

interface Health {
  id: string;
  service: string;
  status: string;
  image: string;
  networkMode: string;
  hostIps: string[];
  lastOutput: string;
}

/** Polls `docker inspect` until every container's healthcheck says healthy (or one says unhealthy, or time is up). */
async function waitHealthy(ids: string[], timeoutMs: number): Promise<Health[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inspected = JSON.parse(await run('docker', ['inspect', ...ids], process.env, 30_000)) as {
      Id: string;
      Config: { Image: string; Labels: Record<string, string> };
      State: { Health?: { Status: string; Log?: { Output: string }[] } };
      HostConfig: { NetworkMode: string; PortBindings: Record<string, { HostIp: string }[] | null> | null };
    }[];
    const health = inspected.map((c) => ({
      id: c.Id,
      service: c.Config.Labels['com.docker.compose.service'] ?? '?',
      status: c.State.Health?.Status ?? 'none',
      image: c.Config.Image,
      networkMode: c.HostConfig.NetworkMode,
      hostIps: [...new Set(Object.values(c.HostConfig.PortBindings ?? {}).flatMap((b) => (b ?? []).map((x) => x.HostIp)))],
      lastOutput: (c.State.Health?.Log?.at(-1)?.Output ?? '').slice(-500),
    }));
    if (health.every((h) => h.status === 'healthy') || health.some((h) => h.status === 'unhealthy') || Date.now() > deadline) return health;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function freePorts(count: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
          });
        }),
    ),
  );
}

/** stdout (and stderr too with `merged`, for `docker logs`); rejects with the output's tail on failure. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, merged = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), (all += d.toString())));
    child.stderr.on('data', (d: Buffer) => (all += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(merged ? all : out);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${all.slice(-3000)}`));
    });
  });
}
