import fs from 'node:fs/promises';
import path from 'node:path';
import { shQuote } from './host-tools.ts';
import { renderLog4j2, toolJvmArgs } from './kafka-config.ts';

/** The Kafka CLI tools runbook steps call, by their usual names, and the class each one runs. */
export const kafkaTools: Record<string, string> = {
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
};

export function renderToolWrapper(o: { java: string; libsDir: string; log4jFile: string; mainClass: string }): string {
  const args = [...toolJvmArgs, `-Dlog4j2.configurationFile=${o.log4jFile}`, '-cp', `${o.libsDir}/*`, o.mainClass];
  return `#!/bin/sh\n# Written by agentdrill for one drill.\nexec ${[o.java, ...args].map(shQuote).join(' ')} "$@"\n`;
}

/**
 * Writes executable wrappers into `binDir` (put on runbook steps' PATH). Logging goes to stderr at
 * ERROR only, so a step's stdout is exactly what the tool prints, as with a real Kafka install.
 */
export async function writeKafkaTools(o: { binDir: string; java: string; libsDir: string }): Promise<string> {
  await fs.mkdir(o.binDir, { recursive: true });
  const log4jFile = path.join(o.binDir, 'tools-log4j2.properties');
  await fs.writeFile(log4jFile, renderLog4j2('ERROR'));
  for (const [name, mainClass] of Object.entries(kafkaTools)) {
    await fs.writeFile(path.join(o.binDir, name), renderToolWrapper({ java: o.java, libsDir: o.libsDir, log4jFile, mainClass }), {
      mode: 0o755,
    });
  }
  return o.binDir;
}
