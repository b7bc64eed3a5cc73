import fs from 'node:fs/promises';
import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import type { Settings } from '../../core/settings.ts';
import { ensureArtifact } from '../cache-lock.ts';
import type { Progress } from '../provider.ts';
import { requireTool, runTool } from './host-tools.ts';

export interface KafkaLibs {
  libsDir: string;
  version: string;
}

/** Pinned so every Maven version resolves the same way (Maven 3.8 would default to plugin 2.8). */
const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const log4jSlf4jVersion = '2.24.3';

export function renderPom(kafkaVersion: string): string {
  const dep = (groupId: string, artifactId: string, version: string) =>
    `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>dev.agentdrill</groupId>',
    `  <artifactId>kafka-libs</artifactId>`,
    `  <version>${kafkaVersion}</version>`,
    '  <dependencies>',
    dep('org.apache.kafka', 'kafka_2.13', kafkaVersion),
    dep('org.apache.kafka', 'kafka-tools', kafkaVersion),
    // Kafka ships without an slf4j binding in its Maven deps; without one the broker logs nothing.
    dep('org.apache.logging.log4j', 'log4j-slf4j-impl', log4jSlf4jVersion),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

/** The Kafka jars: from AGENTDRILL_KAFKA_HOME if set, else resolved once into the cache by Maven. */
export async function provisionKafka(settings: Settings, progress: Progress): Promise<KafkaLibs> {
  if (settings.kafkaHome) return kafkaFromHome(settings.kafkaHome);
  const version = settings.kafkaVersion;
  assertSafeVersion(version, 'AGENTDRILL_KAFKA_VERSION');
  const dir = path.join(settings.cacheDir, `kafka-${version}`);
  const libsDir = path.join(dir, 'libs');
  const outcome = await ensureArtifact(dir, (tmp) => resolveWithMaven(settings, version, tmp, progress), {
    onWait: () => progress(`Waiting for another agentdrill run to finish caching Kafka ${version}…`),
  });
  if (outcome === 'built') progress(`Kafka ${version} jars cached (${(await listJars(libsDir)).length} jars)`);
  return { libsDir, version };
}

async function resolveWithMaven(settings: Settings, version: string, tmp: string, progress: Progress): Promise<void> {
  const mvn = requireTool('mvn', `download Kafka ${version}`);
  requireTool('java', 'run Maven and Kafka');
  progress(`Resolving Kafka ${version} jars from Maven Central (first run only)…`);
  await fs.writeFile(path.join(tmp, 'pom.xml'), renderPom(version));
  const libs = path.join(tmp, 'libs');
  const args = [
    '-q',
    '-B',
    `-Dmaven.repo.local=${path.join(settings.cacheDir, 'm2')}`,
    '-f',
    path.join(tmp, 'pom.xml'),
    `${dependencyPlugin}:copy-dependencies`,
    `-DoutputDirectory=${libs}`,
  ];
  await runTool(mvn, args, {
    cwd: tmp,
    what: `Resolving Kafka ${version} jars with Maven`,
    hint: `Check that Kafka ${version} exists on Maven Central and that Maven can reach it (proxy: ~/.m2/settings.xml); or set AGENTDRILL_KAFKA_HOME to an unpacked Kafka`,
    timeoutMs: 15 * 60_000,
  });
  const jars = await listJars(libs);
  if (!jars.includes(`kafka_2.13-${version}.jar`)) {
    throw new AgentdrillError('PROVISION_FAILED', `Maven finished but kafka_2.13-${version}.jar is not in ${libs}`);
  }
}

async function kafkaFromHome(kafkaHome: string): Promise<KafkaLibs> {
  const libsDir = path.join(kafkaHome, 'libs');
  const jars = await listJars(libsDir).catch(() => []);
  const version = jars.map((j) => /^kafka-clients-(\d[^-]*(?:-[A-Za-z0-9]+)?)\.jar$/.exec(j)?.[1]).find(Boolean);
  if (!version) {
    throw new AgentdrillError('PROVISION_FAILED', `AGENTDRILL_KAFKA_HOME=${kafkaHome} has no libs/kafka-clients-<version>.jar`, {
      hint: 'Point AGENTDRILL_KAFKA_HOME at an unpacked Kafka distribution (the folder holding libs/), or unset it to download Kafka',
    });
  }
  return { libsDir, version };
}

async function listJars(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => f.endsWith('.jar'));
}

/** Versions become cache paths and XML: refuse anything that could escape either. */
export function assertSafeVersion(version: string, setting: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version)) {
    throw new AgentdrillError('USAGE', `${setting}=${JSON.stringify(version)} is not a version`, {
      hint: 'Use a plain version such as 4.1.1 (Kafka) or v2.12.0 (Toxiproxy)',
    });
  }
}
