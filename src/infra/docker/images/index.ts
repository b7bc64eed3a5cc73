import fs from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../../../core/errors.ts';
import type { Settings } from '../../../core/settings.ts';
import { ensureArtifact } from '../../cache-lock.ts';
import { requireTool, runTool } from '../../local/host-tools.ts';
import { provisionLocal } from '../../local/index.ts';
import { assertSafeVersion } from '../../local/provision-kafka.ts';
import type { Progress } from '../../provider.ts';
import { docker, imageExists } from '../docker-cli.ts';
import { ensureBaseImage } from './base-image.ts';
import { buildImage } from './build-context.ts';
import { buildKafkaImage } from './kafka-image.ts';
import { buildToxiproxyImage } from './toxiproxy-image.ts';

export interface DrillImages {
  kafka: string;
  toxiproxy: string;
  source: 'local' | 'registry';
  kafkaVersion: string;
  toxiproxyVersion: string;
}

export function registryImages(settings: Settings): { kafka: string; toxiproxy: string } {
  return {
    kafka: `apache/kafka:${settings.kafkaVersion}`,
    toxiproxy: `ghcr.io/shopify/toxiproxy:${settings.toxiproxyVersion.replace(/^v/, '')}`,
  };
}

/** The Kafka and Toxiproxy images a drill runs: pulled when a registry answers, else built here. */
export async function ensureImages(settings: Settings, progress: Progress, source = settings.docker.images): Promise<DrillImages> {
  const versions = { kafkaVersion: settings.kafkaVersion, toxiproxyVersion: settings.toxiproxyVersion };
  if (source !== 'local') {
    const wanted = registryImages(settings);
    const pulled = await pullQuickly([wanted.kafka, wanted.toxiproxy], source === 'registry' ? 600_000 : 15_000);
    if (pulled === true) return { ...wanted, source: 'registry', ...versions };
    if (source === 'registry') {
      throw new AgentdrillError('INFRA_START_FAILED', `Could not pull ${wanted.kafka} / ${wanted.toxiproxy}: ${pulled}`, {
        hint: 'unset AGENTDRILL_DOCKER_IMAGES (or set it to local) to build the images here with `agentdrill images build`',
      });
    }
    progress(`No registry image could be pulled (${pulled}); using locally built images (AGENTDRILL_DOCKER_IMAGES=local skips the attempt)`);
  }
  return buildLocalImages(settings, progress);
}

/** Builds (or finds, by content hash) the base, Kafka and Toxiproxy images with no registry. */
export async function buildLocalImages(settings: Settings, progress: Progress): Promise<DrillImages> {
  const provisioned = await provisionLocal(settings, progress);
  const baseTag = await ensureBaseImage(progress);
  const kafka = await buildKafkaImage({ baseTag, libsDir: provisioned.kafkaLibsDir, kafkaVersion: provisioned.kafkaVersion, progress });
  const toxiproxy = await buildToxiproxyImage({ bin: provisioned.toxiproxyBin, version: provisioned.toxiproxyVersion, progress });
  for (const image of [kafka, toxiproxy]) progress(`${image.tag}: ${image.outcome === 'cached' ? 'present, reused' : 'built'}`);
  // Teams' own images need a FROM too; where no registry answers, this base can be theirs.
  progress(`${baseTag}: the Debian base (bookworm, minbase); a FROM for your agents' images where no registry answers (the order pipeline: ORDER_PIPELINE_BASE=${baseTag})`);
  return {
    kafka: kafka.tag,
    toxiproxy: toxiproxy.tag,
    source: 'local',
    kafkaVersion: provisioned.kafkaVersion,
    toxiproxyVersion: provisioned.toxiproxyVersion,
  };
}

/** true when every image is present or pulled within the time; else the reason, for the message. */
async function pullQuickly(images: string[], timeoutMs: number): Promise<true | string> {
  for (const image of images) {
    if (await imageExists(image)) continue;
    const outcome = await docker(['pull', '--quiet', image], { what: `docker pull ${image}`, timeoutMs }).then(
      () => true as const,
      (e: unknown) => `${image}: ${(e as Error).message.split('\n')[0] ?? 'pull failed'}`,
    );
    if (outcome !== true) return outcome;
  }
  return true;
}

/** What docker-compose.yml needs to run on the local images: stable names, and the env naming them. */
export interface ComposeImages {
  kafka: string;
  toxiproxy: string;
  /** AGENTDRILL_KAFKA_IMAGE / AGENTDRILL_TOXIPROXY_IMAGE, for `.env` or the environment of `docker-compose`. */
  env: Record<'AGENTDRILL_KAFKA_IMAGE' | 'AGENTDRILL_TOXIPROXY_IMAGE', string>;
}

const toxiproxyModule = 'github.com/Shopify/toxiproxy/v2';

/**
 * Stable local names for the images the docker provider runs, for docker-compose.yml where no
 * registry answers: `agentdrill/kafka:<kafka version>` is the Kafka image itself under a second
 * tag; `agentdrill/toxiproxy:<version>` is the Toxiproxy image plus `/toxiproxy-cli` (built by
 * `go install` from the same module and version), which the official image also carries and the
 * compose healthcheck runs (the FROM-scratch image has nothing else to run). A content hash changes
 * with every jar; these names change only with the versions, so a `.env` written once keeps working.
 */
export async function buildComposeImages(settings: Settings, progress: Progress, built?: DrillImages): Promise<ComposeImages> {
  const images = built ?? (await buildLocalImages(settings, progress));
  const kafka = `agentdrill/kafka:${images.kafkaVersion}`;
  await tag(images.kafka, kafka);
  const version = /^v?\d+\.\d+\.\d+/.test(images.toxiproxyVersion) ? images.toxiproxyVersion : settings.toxiproxyVersion;
  const cli = await provisionToxiproxyCli(settings, version, progress);
  const withCli = await buildImage({
    name: 'toxiproxy',
    progress,
    files: [
      { path: 'Dockerfile', content: [`FROM ${images.toxiproxy}`, 'COPY toxiproxy-cli /toxiproxy-cli', ''].join('\n') },
      { path: 'toxiproxy-cli', source: cli },
    ],
  });
  const toxiproxy = `agentdrill/toxiproxy:${version.replace(/^v/, '')}`;
  await tag(withCli.tag, toxiproxy);
  progress(`${kafka} = ${images.kafka}; ${toxiproxy} = ${withCli.tag} (${withCli.outcome === 'cached' ? 'present, reused' : 'built'}: + /toxiproxy-cli)`);
  return { kafka, toxiproxy, env: { AGENTDRILL_KAFKA_IMAGE: kafka, AGENTDRILL_TOXIPROXY_IMAGE: toxiproxy } };
}

function tag(source: string, target: string): Promise<string> {
  return docker(['tag', source, target], { what: `Tagging ${source} as ${target}`, timeoutMs: 30_000, errorCode: 'PROVISION_FAILED' });
}

/** toxiproxy-cli of `version`, built once into the cache like toxiproxy-server (static, CGO off). */
async function provisionToxiproxyCli(settings: Settings, version: string, progress: Progress): Promise<string> {
  assertSafeVersion(version, 'AGENTDRILL_TOXIPROXY_VERSION');
  const dir = path.join(settings.cacheDir, `toxiproxy-cli-${version}`);
  const outcome = await ensureArtifact(
    dir,
    async (tmp) => {
      const go = requireTool('go', `build toxiproxy-cli ${version} (the compose healthcheck runs it)`);
      progress(`Building toxiproxy-cli ${version} with go install (first run only, a few seconds)…`);
      const binDir = path.join(tmp, 'bin');
      await runTool(go, ['install', `-ldflags=-X ${toxiproxyModule}.Version=${version}`, `${toxiproxyModule}/cmd/cli@${version}`], {
        cwd: tmp,
        env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
        what: `Building toxiproxy-cli ${version} with go install`,
        hint: 'Check that Go can reach its module proxy',
        timeoutMs: 15 * 60_000,
      });
      // `go install` names the binary after its folder (cmd/cli).
      await fs.rename(path.join(binDir, 'cli'), path.join(binDir, 'toxiproxy-cli'));
    },
    { onWait: () => progress(`Waiting for another agentdrill run to finish building toxiproxy-cli ${version}…`) },
  );
  if (outcome === 'built') progress(`toxiproxy-cli ${version} built and cached`);
  return path.join(dir, 'bin', 'toxiproxy-cli');
}
