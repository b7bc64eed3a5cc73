import type { Admin } from 'kafkajs';
import type { Clock } from '../core/clock.ts';
import type { InstanceInfo, SeriesReading, StartedFleet } from '../fleet/types.ts';
import { readGroupsOffsets, type PartitionOffsets } from './offsets.ts';
import { containerWorkingSet } from './container-memory.ts';
import { rssOfPid } from './process-memory.ts';
import { SlidingRate } from './rate.ts';
import type { AgentSample, GroupSample, Sample } from './sample.ts';

export interface SamplerOptions {
  admin: Admin;
  fleet: StartedFleet;
  clock: Clock;
  intervalMs: number;
  onSample: (at: number, sample: Sample) => void;
  /**
   * What a sample reads but does not journal (offsets per partition, each instance's restarts),
   * for the /metrics exporter; called just before `onSample` with the same time.
   */
  onDetail?: (at: number, detail: SampleDetail, sample: Sample) => void;
  /** Window for throughput smoothing. */
  rateWindowMs?: number;
  /** How to read an instance's memory; local processes read /proc, containers would ask the engine. */
  memoryOf?: (instance: InstanceInfo) => Promise<number | undefined>;
}

/** Per consumer group (logical name): its real id, topic and partitions; and the instances as sampled. */
export interface SampleDetail {
  groups: Record<string, { groupId: string; topic: string; partitions: PartitionOffsets[] }>;
  instances: InstanceInfo[];
}

/**
 * Samples lag, throughput and group state of every consumer group, the memory of every
 * instance and the fleet's counters (with a fleet file, the series its rules name from the
 * agents' own /metrics) at a fixed interval. One sample in flight at a time: a slow broker stretches the
 * interval rather than piling up requests.
 */
export class Sampler {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly rates = new Map<string, SlidingRate>();
  private last: { at: number; sample: Sample } | undefined;
  failedSamples = 0;

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  latest(): { at: number; sample: Sample } | undefined {
    return this.last;
  }

  private async run(): Promise<void> {
    const { clock, intervalMs } = this.options;
    while (this.running) {
      const at = clock.now();
      try {
        const { sample, detail } = await this.takeSampleWithDetail(at);
        if (!this.running) break;
        this.last = { at, sample };
        this.options.onDetail?.(at, detail, sample);
        this.options.onSample(at, sample);
      } catch {
        // A transient broker error loses one sample, never the drill.
        this.failedSamples++;
      }
      const wait = intervalMs - (clock.now() - at);
      if (wait > 0) await clock.sleep(wait, this.abort.signal);
    }
  }

  async takeSample(at: number): Promise<Sample> {
    return (await this.takeSampleWithDetail(at)).sample;
  }

  private async takeSampleWithDetail(at: number): Promise<{ sample: Sample; detail: SampleDetail }> {
    const { fleet, admin } = this.options;
    const { groups: realGroups, groupTopics } = fleet.topology;
    const names = Object.keys(realGroups);
    const groupIds = names.map((name) => realGroups[name]!);
    const instances = fleet.instances();
    const [offsets, described, agents, totals, series] = await Promise.all([
      readGroupsOffsets(admin, groupIds.map((groupId) => ({ groupId, topic: groupTopics[groupId]! }))),
      admin.describeGroups(groupIds).catch(() => undefined),
      this.sampleAgents(instances),
      // An agent whose counters cannot be read this time costs its counters, not the sample.
      fleet.counters().catch(() => ({}) as Record<string, number>),
      fleet.series ? fleet.series().catch(() => ({}) as Record<string, SeriesReading>) : ({} as Record<string, SeriesReading>),
    ]);
    const groups: Record<string, GroupSample> = {};
    const detail: SampleDetail = { groups: {}, instances };
    names.forEach((name, i) => {
      const o = offsets[i]!;
      detail.groups[name] = { groupId: groupIds[i]!, topic: groupTopics[groupIds[i]!]!, partitions: o.partitions };
      const d = described?.groups.find((g) => g.groupId === groupIds[i]);
      groups[name] = {
        lag: o.lag,
        committed: o.committed,
        throughput: this.rateFor(name).push(at, o.committed),
        ...(d ? { state: d.state, members: d.members.length } : {}),
      };
    });
    // `X.T` is the cumulative count the agents report (it restarts with them); `X-rate.T` is its
    // per-second rate, so "no new invalid outputs" is expressible (invalid(agent=T) == 0/s).
    const counters: Record<string, number> = {};
    for (const [key, value] of Object.entries(totals)) {
      const dot = key.indexOf('.');
      counters[key] = value;
      counters[`${key.slice(0, dot)}-rate${key.slice(dot)}`] = this.rateFor(`counter:${key}`).push(at, value);
    }
    // A team's own series: the rate comes from the reset-aware increase, not from the sum, which
    // falls whenever one of the instances restarts or the agent scales in.
    const stale: string[] = [];
    for (const [key, s] of Object.entries(series)) {
      counters[`metric.${key}`] = s.value;
      counters[`metric-rate.${key}`] = this.rateFor(`series:${key}`).push(at, s.increase);
      if (s.stale) stale.push(`metric.${key}`);
    }
    return { sample: { groups, agents, counters, ...(stale.length ? { stale } : {}) }, detail };
  }

  private rateFor(key: string): SlidingRate {
    let rate = this.rates.get(key);
    if (!rate) this.rates.set(key, (rate = new SlidingRate(this.options.rateWindowMs ?? 2000)));
    return rate;
  }

  private async sampleAgents(instances: InstanceInfo[]): Promise<Record<string, AgentSample>> {
    const memoryOf = this.options.memoryOf ?? defaultMemoryOf;
    const entries = await Promise.all(
      instances.map(async (i): Promise<[string, AgentSample]> => {
        const rss = i.state === 'running' ? await memoryOf(i) : undefined;
        return [i.id, { agent: i.agent, rssBytes: rss ?? 0, up: rss !== undefined }];
      }),
    );
    return Object.fromEntries(entries);
  }
}

/** A process's RSS; a team's container by its cgroup's working set (what its memory limit counts). */
function defaultMemoryOf(i: InstanceInfo): Promise<number | undefined> {
  if (!i.pid) return Promise.resolve(undefined);
  return i.container?.workingSet ? containerWorkingSet(i.pid) : rssOfPid(i.pid);
}
