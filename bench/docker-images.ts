import { settingsFromEnv } from '../src/core/settings.ts';
import { baseImageTag, ensureBaseImage } from '../src/infra/docker/images/base-image.ts';
import { buildLocalImages, ensureImages } from '../src/infra/docker/images/index.ts';
import { buildKafkaImage } from '../src/infra/docker/images/kafka-image.ts';
import { localImages, removeImages } from '../src/infra/docker/images/prune.ts';
import { buildToxiproxyImage } from '../src/infra/docker/images/toxiproxy-image.ts';
import { provisionLocal } from '../src/infra/local/index.ts';
import { benchSignal, withCleanup } from './cleanup.ts';

/** A figure, or why there is none. */
export type Figure = { ms: number } | { notMeasured: string };

export interface ImageFigures {
  /** Every tag present: the content hashes are computed and found, nothing is built. */
  cachedInfraMs: number;
  /** ensureImages as a drill calls it (AGENTDRILL_DOCKER_IMAGES, default: a pull attempt first). */
  drillEnsureMs: number;
  imageSource: string;
  cold: { base: Figure; kafka: Figure; toxiproxy: Figure };
}

/** Cold builds go here, never over the images drills and tests use; removed afterwards. */
const throwawayRepository = 'agentdrill-bench';
const quiet = () => undefined;

export async function benchImages(): Promise<ImageFigures> {
  const settings = settingsFromEnv();
  // The first round makes sure every tag exists (it builds what a changed tree needs); the second is timed.
  await buildLocalImages(settings, quiet);
  let t = performance.now();
  await buildLocalImages(settings, quiet);
  const cachedInfraMs = performance.now() - t;
  t = performance.now();
  const images = await ensureImages(settings, quiet);
  const drillEnsureMs = performance.now() - t;
  const cold = await withCleanup(removeThrowawayImages, async () => {
    await removeThrowawayImages();
    return coldBuilds();
  });
  return { cachedInfraMs, drillEnsureMs, imageSource: `${settings.docker.images} → ${images.source}`, cold };
}

/**
 * Each image from nothing: the base by debootstrap + import under a throwaway tag, then Kafka,
 * Toxiproxy with `docker build --no-cache` from the same contexts a drill builds, on
 * that base. Provisioning (jars, the Toxiproxy binary) is warm: it is the local provider's cost.
 */
async function coldBuilds(): Promise<ImageFigures['cold']> {
  const provisioned = await provisionLocal(settingsFromEnv(), quiet);
  const timed = async (fn: () => Promise<unknown>): Promise<Figure> => {
    // Interrupted: build nothing more (an image finishing after the cleanup would stay behind).
    if (benchSignal.aborted) return { notMeasured: 'interrupted' };
    const t = performance.now();
    try {
      await fn();
      return { ms: performance.now() - t };
    } catch (e) {
      return { notMeasured: firstLine(e) };
    }
  };
  let baseTag = `${throwawayRepository}/base:${baseImageTag().split(':')[1]}`;
  const base = await timed(() => ensureBaseImage(quiet, { tag: baseTag }));
  // Without a throwaway base, the others build on the real one (--no-cache still runs every step).
  if ('notMeasured' in base) baseTag = await ensureBaseImage(quiet);
  const build = { repository: throwawayRepository, noCache: true };
  return {
    base,
    kafka: await timed(() => buildKafkaImage({ baseTag, libsDir: provisioned.kafkaLibsDir, kafkaVersion: provisioned.kafkaVersion, progress: quiet, build })),
    toxiproxy: await timed(() => buildToxiproxyImage({ bin: provisioned.toxiproxyBin, version: provisioned.toxiproxyVersion, progress: quiet, build })),
  };
}

/** Every `agentdrill-bench/*` image, the base last (the others are built on it). */
async function removeThrowawayImages(): Promise<void> {
  const isBase = (ref: string) => Number(ref.startsWith(`${throwawayRepository}/base:`));
  const refs = (await localImages(`${throwawayRepository}/*`)).map((i) => i.ref).sort((a, b) => isBase(a) - isBase(b));
  const { inUse } = await removeImages(refs);
  if (inUse.length > 0) throw new Error(`could not remove the throwaway images ${inUse.join(', ')}`);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
}
