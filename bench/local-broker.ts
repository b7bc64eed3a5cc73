import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { settingsFromEnv } from '../src/core/settings.ts';
import { requireTool } from '../src/infra/local/host-tools.ts';
import { provisionLocal } from '../src/infra/local/index.ts';
import { startKafka } from '../src/infra/local/kafka-process.ts';

/** A broker of the bench's own (the local provider's Kafka from the cached jars), stopped and its folder removed afterwards. */
export async function withLocalBroker<T>(prefix: string, fn: (broker: { bootstrap: string[]; kafkaLibsDir: string }) => Promise<T>): Promise<T> {
  const provisioned = await provisionLocal(settingsFromEnv(), () => undefined);
  const workDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    const kafka = await startKafka({ java: requireTool('java', 'run Kafka'), libsDir: provisioned.kafkaLibsDir, dir: path.join(workDir, 'kafka') });
    try {
      return await fn({ bootstrap: kafka.bootstrapServers, kafkaLibsDir: provisioned.kafkaLibsDir });
    } finally {
      await kafka.child.stop();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
