import type { Clock } from '../../core/clock.ts';
import type { PrometheusApi } from './api.ts';

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface AlertTransition {
  state: AlertState;
  /**
   * When, on Prometheus' clock where it says: pending at its `activeAt`; firing at the evaluation
   * that fired it (activeAt plus `for:` rounded up to whole evaluations, which run at a fixed
   * phase); resolved when the poll saw it.
   */
  at: number;
  labels: Record<string, string>;
  value: number | null;
}

/**
 * Follows one alert's state in Prometheus (GET /api/v1/alerts, every `intervalMs`): the most
 * advanced state over its label sets, reported once per change. A poll that fails is skipped:
 * the next one sees the same state. One request in flight at a time.
 */
export class AlertWatch {
  private state: AlertState = 'inactive';
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly o: { api: PrometheusApi; alert: string; clock: Clock; intervalMs: number; forMs: number; evaluationIntervalMs: number; onChange: (t: AlertTransition) => void },
  ) {}

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

  /**
   * One poll now, outside the loop: the page can reach the harness before the next poll (a
   * group_wait of 0), and the journal should hold the firing it follows. Never rejects.
   */
  async sync(): Promise<void> {
    try {
      this.observe(this.o.clock.now(), await this.o.api.alerts());
    } catch {
      // The loop's next poll sees it.
    }
  }

  private async run(): Promise<void> {
    const { clock, intervalMs } = this.o;
    while (this.running) {
      const at = clock.now();
      try {
        this.observe(at, await this.o.api.alerts());
      } catch {
        // A slow or restarting Prometheus costs one poll.
      }
      const wait = intervalMs - (clock.now() - at);
      if (wait > 0 && this.running) await clock.sleep(wait, this.abort.signal);
    }
  }

  private observe(at: number, alerts: Awaited<ReturnType<PrometheusApi['alerts']>>): void {
    const mine = alerts.filter((a) => a.labels.alertname === this.o.alert);
    const firing = mine.find((a) => a.state === 'firing');
    const pending = mine.find((a) => a.state === 'pending');
    const top = firing ?? pending;
    const state: AlertState = top ? (top.state as AlertState) : 'inactive';
    if (state === this.state) return;
    const activeAt = top?.activeAt ? Date.parse(top.activeAt) : NaN;
    const value = top?.value === undefined ? null : Number(top.value);
    const base = { labels: top?.labels ?? {}, value: value !== null && Number.isFinite(value) ? value : null };
    const known = Number.isFinite(activeAt);
    // A poll slower than `for:` sees firing straight away; the alert was pending before all the same.
    if (state === 'firing' && this.state === 'inactive') this.o.onChange({ ...base, state: 'pending', at: known ? Math.min(activeAt, at) : at });
    this.state = state;
    const { forMs, evaluationIntervalMs: every } = this.o;
    const firedAt = known ? activeAt + Math.ceil(forMs / every) * every : at;
    this.o.onChange({ ...base, state, at: state === 'pending' && known ? Math.min(activeAt, at) : state === 'firing' ? Math.min(firedAt, at) : at });
  }
}
