import type { Clock } from '../../core/clock.ts';
import type { WatchedSeries } from '../../detect/series.ts';
import type { Progress } from '../../infra/provider.ts';
import { MetricsScraper, type ScrapeTarget } from '../../observe/metrics-scraper.ts';
import type { FleetAgentTemplate } from '../definition/agent-templates.ts';
import type { InstanceInfo } from '../types.ts';

/** The running instances' own /metrics URLs (what the scraper reads, and Prometheus scrapes). */
export function metricsTargets(templates: Record<string, FleetAgentTemplate>, instances: InstanceInfo[]): ScrapeTarget[] {
  return instances.flatMap((i) => {
    const url = templates[i.agent]?.metricsUrl;
    if (i.state !== 'running' || !url) return [];
    try {
      return [{ instance: i.id, agent: i.agent, url: url(i.id) }];
    } catch {
      // Its `${...}` cannot be filled yet (no port before its first start): nothing to read.
      return [];
    }
  });
}

/**
 * The reader of a team's /metrics endpoints for one drill, or none when no rule of the drill
 * names a series (then no endpoint is ever called). Only running instances are read: a starting
 * one may not listen yet, and an exited one's numbers are gone with it.
 */
export function teamMetricsScraper(args: {
  watched: readonly WatchedSeries[];
  templates: Record<string, FleetAgentTemplate>;
  instances: () => InstanceInfo[];
  clock: Clock;
  progress: Progress;
}): MetricsScraper | undefined {
  if (args.watched.length === 0) return undefined;
  return new MetricsScraper({
    clock: args.clock,
    watched: args.watched,
    targets: () => metricsTargets(args.templates, args.instances()),
    onProblem: (instance, problem) =>
      args.progress(problem ? `metrics: ${instance}: ${problem}; its last values are kept, marked stale` : `metrics: ${instance} answers again`),
  });
}
