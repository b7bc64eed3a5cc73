import { Counter, Gauge, Registry } from 'prom-client';
import { LagClock } from './lag-seconds.ts';
import type { Sample } from './sample.ts';
import type { SampleDetail } from './sampler.ts';

/**
 * The drill's samples under the names a team's alert rules already use, so the rules run
 * unchanged against a drill (README "Metrics for your own rules"):
 * - kafka_exporter: kafka_consumergroup_lag, kafka_consumergroup_current_offset (consumergroup,
 *   topic, partition), kafka_topic_partition_current_offset (topic, partition),
 *   kafka_consumergroup_members (consumergroup);
 * - kafka-lag-exporter: kafka_consumergroup_group_lag_seconds (cluster_name, group, topic,
 *   partition) and kafka_consumergroup_group_max_lag_seconds (cluster_name, group);
 * - cAdvisor: container_memory_working_set_bytes; kube-state-metrics:
 *   kube_pod_container_status_restarts_total (namespace, pod, container), plus `agent`;
 * - the group's state as the broker reports it, one series per state set to 1 (as
 *   kube-state-metrics reports a pod's phase): kafka_consumergroup_state (consumergroup, state).
 * Group and topic labels are the fleet's own names, without the drill's per-drill prefix, as they
 * are in production; `pod` is the instance (`inventory-2`), `container` its agent.
 */
export const clusterName = 'agentdrill';
export const podNamespace = 'agentdrill';

export class SampleExporter {
  readonly registry = new Registry();
  private readonly lagClock = new LagClock();
  private readonly restartsSeen = new Map<string, number>();
  private readonly g;

  constructor(private readonly prefix: string) {
    const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [this.registry] });
    const partition = ['consumergroup', 'topic', 'partition'];
    this.g = {
      lag: gauge('kafka_consumergroup_lag', 'Current approximate lag of a consumer group at topic/partition', partition),
      current: gauge('kafka_consumergroup_current_offset', 'Current committed offset of a consumer group at topic/partition', partition),
      topicOffset: gauge('kafka_topic_partition_current_offset', 'Current (log end) offset of a topic/partition', ['topic', 'partition']),
      members: gauge('kafka_consumergroup_members', 'Number of members of a consumer group', ['consumergroup']),
      state: gauge('kafka_consumergroup_state', 'Consumer group state as the broker reports it (1 for the current one)', ['consumergroup', 'state']),
      lagSeconds: gauge('kafka_consumergroup_group_lag_seconds', 'Extrapolated lag in seconds of a group at topic/partition', ['cluster_name', 'group', 'topic', 'partition']),
      maxLagSeconds: gauge('kafka_consumergroup_group_max_lag_seconds', 'Max extrapolated lag in seconds of a group over its partitions', ['cluster_name', 'group']),
      memory: gauge('container_memory_working_set_bytes', 'Working set of the instance (a process: its RSS; a container: its cgroup working set)', ['namespace', 'pod', 'container', 'agent']),
    };
    this.restarts = new Counter({
      name: 'kube_pod_container_status_restarts_total',
      help: 'The number of restarts of the instance',
      labelNames: ['namespace', 'pod', 'container', 'agent'],
      registers: [this.registry],
    });
  }

  private readonly restarts: Counter;

  /** Updates every series from one sample; series of partitions, groups or instances now gone are dropped. */
  update(at: number, sample: Sample, detail: SampleDetail): void {
    const { lag, current, topicOffset, members, state, lagSeconds, maxLagSeconds, memory } = this.g;
    for (const g of [lag, current, topicOffset, members, state, lagSeconds, maxLagSeconds, memory]) g.reset();
    for (const [group, d] of Object.entries(detail.groups)) {
      const topic = this.logical(d.topic);
      let maxSeconds = 0;
      for (const p of d.partitions) {
        const labels = { consumergroup: group, topic, partition: String(p.partition) };
        lag.set(labels, p.lag);
        // kafka_exporter reports -1 for a partition the group never committed on; so do we.
        current.set(labels, p.committed);
        topicOffset.set({ topic, partition: String(p.partition) }, p.high);
        const key = `${d.topic}/${p.partition}`;
        this.lagClock.observe(key, at, p.high);
        const seconds = p.committed < 0 ? 0 : this.lagClock.lagSeconds(key, p.committed, at);
        maxSeconds = Math.max(maxSeconds, seconds);
        lagSeconds.set({ cluster_name: clusterName, group, topic, partition: String(p.partition) }, seconds);
      }
      maxLagSeconds.set({ cluster_name: clusterName, group }, maxSeconds);
      const s = sample.groups[group];
      if (s?.members !== undefined) members.set({ consumergroup: group }, s.members);
      if (s?.state !== undefined) state.set({ consumergroup: group, state: s.state }, 1);
    }
    for (const i of detail.instances) {
      const labels = { namespace: podNamespace, pod: i.id, container: i.agent, agent: i.agent };
      const a = sample.agents[i.id];
      if (a?.up) memory.set(labels, a.rssBytes);
      // A counter only grows: it takes the supervisor's restart count as increments.
      const seen = this.restartsSeen.get(i.id);
      if (seen === undefined) this.restarts.inc(labels, 0);
      if (i.restarts > (seen ?? 0)) this.restarts.inc(labels, i.restarts - (seen ?? 0));
      this.restartsSeen.set(i.id, Math.max(i.restarts, seen ?? 0));
    }
  }

  /** The exposition (Prometheus text format 0.0.4) and its content type. */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  private logical(real: string): string {
    return real.startsWith(this.prefix) ? real.slice(this.prefix.length) : real;
  }
}
