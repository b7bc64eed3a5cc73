import fs from 'node:fs/promises';
import path from 'node:path';
import type { Progress } from '../../provider.ts';
import { buildImage, type BuildOptions, type BuiltImage } from './build-context.ts';

/**
 * Kafka on the local Debian base: a JRE from Debian's archive (RUN apt-get reaches it even with
 * no registry) and the jars the local provider already cached. The image holds no config: the
 * container start copies in server.properties and the entrypoint, so the same start works on
 * this image and on apache/kafka (both have `java` on PATH and jars in /opt/kafka/libs).
 */
export async function buildKafkaImage(o: { baseTag: string; libsDir: string; kafkaVersion: string; progress: Progress; build?: BuildOptions }): Promise<BuiltImage> {
  const jars = (await fs.readdir(o.libsDir)).filter((f) => f.endsWith('.jar')).sort();
  const dockerfile = [
    `FROM ${o.baseTag}`,
    // Its own layer before the jars: a new Kafka version rebuilds only the COPY.
    'RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless && rm -rf /var/lib/apt/lists/*',
    'COPY libs/ /opt/kafka/libs/',
    `LABEL agentdrill.kafka.version=${o.kafkaVersion}`,
    '',
  ].join('\n');
  return buildImage({
    ...o.build,
    name: 'kafka',
    progress: o.progress,
    files: [{ path: 'Dockerfile', content: dockerfile }, ...jars.map((j) => ({ path: `libs/${j}`, source: path.join(o.libsDir, j) }))],
  });
}
