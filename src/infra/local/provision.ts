import type { Settings } from '../../core/settings.ts';
import type { Progress } from '../provider.ts';
import { provisionKafka } from './provision-kafka.ts';
import { provisionToxiproxy } from './provision-toxiproxy.ts';

export interface ProvisionedLocal {
  kafkaLibsDir: string;
  toxiproxyBin: string;
  kafkaVersion: string;
  toxiproxyVersion: string;
}

/** Fills the per-user cache (Kafka jars, toxiproxy-server); seconds once warm. */
export async function provisionLocal(settings: Settings, progress: Progress): Promise<ProvisionedLocal> {
  // Both at once: Maven and Go mostly wait on the network. allSettled so a failure in one never
  // abandons the other mid-build while it still holds its cache lock.
  const [kafka, toxiproxy] = await Promise.allSettled([
    provisionKafka(settings, progress),
    provisionToxiproxy(settings, progress),
  ]);
  if (kafka.status === 'rejected') throw kafka.reason;
  if (toxiproxy.status === 'rejected') throw toxiproxy.reason;
  return {
    kafkaLibsDir: kafka.value.libsDir,
    kafkaVersion: kafka.value.version,
    toxiproxyBin: toxiproxy.value.bin,
    toxiproxyVersion: toxiproxy.value.version,
  };
}
