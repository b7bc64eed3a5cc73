import { AgentdrillError } from '../../../core/errors.ts';
import type { Settings } from '../../../core/settings.ts';
import { provisionLocal } from '../../local/index.ts';
import type { Progress } from '../../provider.ts';
import { docker, imageExists } from '../docker-cli.ts';
import { ensureBaseImage } from './base-image.ts';
import { buildAgentImage } from './agent-image.ts';
import { buildKafkaImage } from './kafka-image.ts';
import { buildToxiproxyImage } from './toxiproxy-image.ts';

export type ImageSource = 'auto' | 'local' | 'registry';

export interface DrillImages {
  kafka: string;
  toxiproxy: string;
  source: 'local' | 'registry';
  kafkaVersion: string;
  toxiproxyVersion: string;
}

/** AGENTDRILL_DOCKER_IMAGES: `local` never pulls, `registry` must pull, unset tries a pull first. */
export function imageSourceFromEnv(env: NodeJS.ProcessEnv = process.env): ImageSource {
  const value = env.AGENTDRILL_DOCKER_IMAGES || 'auto';
  if (value === 'auto' || value === 'local' || value === 'registry') return value;
  throw new AgentdrillError('USAGE', `AGENTDRILL_DOCKER_IMAGES=${value} is not one of local, registry`);
}

export function registryImages(settings: Settings): { kafka: string; toxiproxy: string } {
  return {
    kafka: `apache/kafka:${settings.kafkaVersion}`,
    toxiproxy: `ghcr.io/shopify/toxiproxy:${settings.toxiproxyVersion.replace(/^v/, '')}`,
  };
}

/** The Kafka and Toxiproxy images a drill runs: pulled when a registry answers, else built here. */
export async function ensureImages(settings: Settings, progress: Progress, source = imageSourceFromEnv()): Promise<DrillImages> {
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

/** The agents' image (local build only: the agents' code is this repo's), reused by content hash. */
export async function ensureAgentImage(progress: Progress): Promise<string> {
  const baseTag = await ensureBaseImage(progress);
  const image = await buildAgentImage({ baseTag, progress });
  progress(`${image.tag}: ${image.outcome === 'cached' ? 'present, reused' : 'built'}`);
  return image.tag;
}
