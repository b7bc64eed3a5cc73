import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import type { Teardown } from '../core/teardown.ts';
import { startPrometheusPipeline, type RunningPipeline } from '../detect/prometheus/pipeline.ts';
import type { StartedFleet } from '../fleet/types.ts';
import type { Progress } from '../infra/provider.ts';
import { SampleExporter } from '../observe/exporter.ts';
import type { Sample } from '../observe/sample.ts';
import type { SampleDetail } from '../observe/sampler.ts';
import type { DrillMonitor } from './monitor.ts';
import type { DrillPlan } from './plan.ts';

/**
 * The drill's side of detection by the team's Prometheus rule: the samples served under
 * exporter names (fed by the sampler), the monitoring started (its stops registered with the
 * teardown), and its page handed to the monitor, which starts the runbook. Nothing of it exists
 * when the built-in rule pages.
 */
export class Paging {
  private readonly exporter: SampleExporter | undefined;
  private pipeline: RunningPipeline | undefined;

  constructor(private readonly plan: DrillPlan) {
    this.exporter = plan.detection ? new SampleExporter(plan.fleet.prefix) : undefined;
  }

  /** For the sampler: every sample's details go to /metrics. */
  get onDetail(): ((at: number, detail: SampleDetail, sample: Sample) => void) | undefined {
    const exporter = this.exporter;
    return exporter && ((at, detail, sample) => exporter.update(at, sample, detail));
  }

  /** Starts Prometheus and Alertmanager; their versions go into `versions` (and so the journal). */
  async start(o: { fleet: StartedFleet; monitor: DrillMonitor; journal: Journal; clock: Clock; workDir: string; teardown: Teardown; progress: Progress; signal: AbortSignal; versions: Record<string, string> }): Promise<void> {
    const { detection } = this.plan;
    const exporter = this.exporter;
    if (!detection || !exporter) return;
    this.pipeline = await startPrometheusPipeline({
      detection,
      exposition: () => exporter.exposition(),
      agentTargets: () => o.fleet.metricsTargets?.() ?? [],
      journal: o.journal,
      clock: o.clock,
      workDir: o.workDir,
      teardown: o.teardown,
      progress: o.progress,
      signal: o.signal,
      onPage: (at) => o.monitor.page(at),
    });
    Object.assign(o.versions, this.pipeline.versions);
  }

  /** Before teardown stops Prometheus: when the threshold was crossed, and what the rule read. */
  async collect(t0: number, endAt: number): Promise<void> {
    await this.pipeline?.collect(t0, endAt);
  }
}
