import path from 'node:path';
import { Partitioners, type Kafka } from 'kafkajs';
import { AgentdrillError } from '../../core/errors.ts';
import { EndTopicCheck, type IntegrityResult } from '../../integrity/index.ts';
import { LoadGenerator, prepareLoad, producerThreadsFor, ThreadedProducer, type LoadProducer, type LoadSpec } from '../../load/index.ts';
import type { FleetDefinition } from '../definition/schema.ts';
import type { FleetTopology, IntegrityReport } from '../types.ts';

/** The end-of-pipeline reader's own group, under the drill's prefix. */
export const integrityGroupName = 'agentdrill-integrity';

/**
 * The harness's side of a team's pipeline: its own producer on the fleet's input topic, and a
 * reader at the end topic matching outputs to inputs by their stamps. The reader starts first,
 * so it sees every output whenever it joins.
 */
export class FleetTraffic {
  private constructor(
    private readonly producer: LoadProducer & { disconnect(): Promise<void> },
    private readonly load: LoadGenerator,
    private readonly check: EndTopicCheck | undefined,
  ) {}

  static async start(args: { kafka: Kafka; bootstrap: string; fleet: FleetDefinition; topology: FleetTopology; runTag: string; ratePerSec: number }): Promise<FleetTraffic> {
    const { fleet, topology, runTag } = args;
    const spec: LoadSpec = {
      topic: topology.topics[fleet.load.topic]!,
      ratePerSec: args.ratePerSec,
      runTag,
      ...(fleet.load.key !== undefined ? { key: { template: fleet.load.key } } : {}),
      value: 'samples' in fleet.load.value ? { samples: path.resolve(fleet.dir, fleet.load.value.samples) } : fleet.load.value,
      stamp: fleet.load.stamp,
    };
    const prepared = await prepareLoad(spec);
    const producer = await loadProducer(args.kafka, args.bootstrap, runTag, args.ratePerSec);
    const load = new LoadGenerator(producer, prepared);
    const integrity = fleet.integrity;
    const check = integrity
      ? new EndTopicCheck(args.kafka, { topic: topology.topics[integrity.topic]!, groupId: `${topology.prefix}${integrityGroupName}`, runTag, match: integrity.match, produced: load })
      : undefined;
    const traffic = new FleetTraffic(producer, load, check);
    try {
      await check?.start();
      load.start();
    } catch (e) {
      await traffic.close();
      throw e;
    }
    return traffic;
  }

  /**
   * Stops the load for good; what the broker acknowledged counts as produced. A load that ended
   * by itself (an event it could not build) drove the fleet less than planned: the drill's
   * figures would describe another drill, so that is a harness error, not a result.
   */
  async stopLoad(): Promise<number> {
    const status = await this.load.stop();
    if (status.failure) {
      throw new AgentdrillError('FLEET_FAILED', `the load stopped by itself after ${status.produced} events: ${status.failure}`, {
        hint: 'fix the load value template in the fleet file (every event must be a JSON object where a stamp field is set)',
      });
    }
    return status.produced;
  }

  /** After the drain: every output matched to its input, or counts only and why. */
  async integrity(drainTimeoutMs: number): Promise<IntegrityReport> {
    const produced = this.load.produced;
    if (!this.check) {
      return { produced, processed: null, lost: null, duplicated: null, invalid: 0, mode: 'not-checked', why: 'the fleet file declares no integrity: section, so no output was matched to its input' };
    }
    return reportOf(await this.check.finish({ drainTimeoutMs }));
  }

  async close(): Promise<void> {
    await this.load.stop({ graceMs: 0 }).catch(() => undefined);
    await this.check?.close();
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** The harness's own producer at the drills' rates; producer threads where one thread could not keep up. */
async function loadProducer(kafka: Kafka, bootstrap: string, runTag: string, ratePerSec: number): Promise<LoadProducer & { disconnect(): Promise<void> }> {
  const threads = producerThreadsFor(ratePerSec);
  if (threads > 0) {
    const pool = await ThreadedProducer.start({ brokers: bootstrap.split(','), clientId: `agentdrill-load-${runTag}`, threads });
    return { send: (record) => pool.send(record), disconnect: () => pool.close() };
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

function reportOf(r: IntegrityResult): IntegrityReport {
  const base = { produced: r.produced, invalid: r.invalid ?? 0, outputs: r.outputs, readToEnd: r.readToEnd };
  if (r.mode === 'counts-only') return { ...base, processed: null, lost: null, duplicated: null, mode: 'counts-only', why: r.why };
  return { ...base, processed: r.delivered, lost: r.lost, duplicated: r.duplicated, mode: 'stamped', ...(r.cautions.length ? { cautions: r.cautions } : {}) };
}
