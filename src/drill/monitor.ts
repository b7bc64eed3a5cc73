import type { Journal } from '../core/journal.ts';
import type { WarmupGroup } from '../core/events.ts';
import { ConditionHistory } from '../detect/condition-history.ts';
import type { ConditionOutcome } from '../detect/evaluate.ts';
import { steadyBreakMs } from '../detect/steady-break.ts';
import { WarmupTracker } from '../detect/warmup.ts';
import type { Sample } from '../observe/sample.ts';

/** How the monitor evaluates rules; src/detect provides it, tests may pass a scripted one. */
export interface Detection {
  /** Alert rule with its `for` window: reports the moments it starts and stops firing. */
  alert(): { feed(at: number, sample: Sample): 'firing' | 'resolved' | undefined; reset(): void };
  /** Steady-state conditions held continuously for `windowMs`. */
  steady(windowMs: number): {
    feed(at: number, sample: Sample): { holds: boolean; failing: string[]; outcomes?: readonly ConditionOutcome[]; windowStartAt?: number; confirmedAt?: number };
    reset(): void;
  };
}

type Mode = 'warmup' | 'baseline' | 'watching' | 'off';

/** What warm-up needs to know of the fleet: each consumer group's expected members, now. */
export interface WarmupOptions {
  expectedMembers: () => Record<string, number>;
  /** A group has caught up once its lag is at most this. */
  caughtUpLag: number;
}

/**
 * Turns the sample stream into the drill's milestones: baseline healthy, the fleet knocked off
 * its steady state, the alert firing, and recovery (the steady state holding again for its
 * window). Every milestone is journaled; the drill awaits the promises.
 */
export class DrillMonitor {
  private mode: Mode = 'off';
  private readonly alert;
  private readonly steady;
  private readonly baselineSteady;
  private injectedAt: number | undefined;
  private leftSteadyAt: number | undefined;
  private failingSince: number | undefined;
  private firing = false;
  private warmup: WarmupTracker | undefined;
  private warmupOptions: WarmupOptions | undefined;
  private lastWarmup: Record<string, WarmupGroup> = {};
  private baselineHistory = new ConditionHistory();
  readonly warmedUp: Deferred<number>;
  readonly baselineHealthy: Deferred<number>;
  readonly alertFired: Deferred<number>;
  readonly recovered: Deferred<number>;

  constructor(
    private readonly journal: Journal,
    private readonly alertRule: string,
    detection: Detection,
    windows: { baselineMs: number; recoveryMs: number },
  ) {
    this.alert = detection.alert();
    this.steady = detection.steady(windows.recoveryMs);
    this.baselineSteady = detection.steady(windows.baselineMs);
    this.warmedUp = deferred();
    this.baselineHealthy = deferred();
    this.alertFired = deferred();
    this.recovered = deferred();
  }

  startWarmup(options: WarmupOptions): void {
    this.warmup = new WarmupTracker(options.caughtUpLag);
    this.warmupOptions = options;
    this.mode = 'warmup';
  }

  /** Each group as warm-up last saw it (for the journal when warm-up ends either way). */
  get warmupGroups(): Record<string, WarmupGroup> {
    return this.lastWarmup;
  }

  startBaseline(): void {
    this.baselineSteady.reset();
    this.baselineHistory = new ConditionHistory();
    this.mode = 'baseline';
  }

  /** The baseline's evidence: each condition's last values and failures, the longest hold. */
  baselineSummary(): ReturnType<ConditionHistory['summary']> {
    return this.baselineHistory.summary();
  }

  markInjected(at: number): void {
    this.injectedAt = at;
    // Only what happens after injection counts: a rule already holding must be seen to start.
    this.alert.reset();
    this.steady.reset();
    this.firing = false;
    this.failingSince = undefined;
    this.mode = 'watching';
  }

  stop(): void {
    this.mode = 'off';
  }

  get firingNow(): boolean {
    return this.firing;
  }

  private readonly groupStates = new Map<string, string>();

  onSample(at: number, sample: Sample): void {
    this.journal.record('sample', sample, at);
    this.recordGroupStates(at, sample);
    if (this.mode === 'off') return;
    if (this.mode === 'warmup') {
      const w = this.warmup!.feed(sample, this.warmupOptions!.expectedMembers());
      this.lastWarmup = w.groups;
      if (w.ready && !this.warmedUp.settled) this.warmedUp.resolve(at);
      return;
    }
    const steady = (this.mode === 'baseline' ? this.baselineSteady : this.steady).feed(at, sample);
    this.journal.record('steady.evaluated', { holds: steady.holds, failing: steady.failing }, at);
    if (this.mode === 'baseline') {
      if (steady.outcomes) this.baselineHistory.feed(at, steady.outcomes);
      if (steady.confirmedAt !== undefined && steady.windowStartAt !== undefined && !this.baselineHealthy.settled) {
        this.journal.record('baseline.healthy', { windowStartAt: steady.windowStartAt }, at);
        this.baselineHealthy.resolve(at);
      }
      return;
    }
    this.watchAlert(at, sample);
    if (this.leftSteadyAt === undefined) {
      // Knocked off means failing for steadyBreakMs in a row (a blip is noise, see steady-break.ts).
      this.failingSince = steady.holds ? undefined : (this.failingSince ?? at);
      if (this.failingSince !== undefined && at - this.failingSince >= steadyBreakMs) {
        this.leftSteadyAt = this.failingSince;
        // Recovery means a new run of healthy samples that starts after the fleet was knocked off.
        this.steady.reset();
      }
      return;
    }
    if (steady.confirmedAt !== undefined && steady.windowStartAt !== undefined && !this.recovered.settled) {
      this.journal.record('recovered', { windowStartAt: steady.windowStartAt, confirmedAt: at }, at);
      this.recovered.resolve(at);
    }
  }

  /**
   * The page from outside the samples (Alertmanager's notification of the team's alert): after
   * injection it starts the runbook as the built-in rule's firing does. A page before injection
   * detected nothing and is only journaled (by whoever received it).
   */
  page(at: number): void {
    if (this.mode !== 'watching' || this.alertFired.settled) return;
    this.alertFired.resolve(at);
  }

  get leftSteadyState(): boolean {
    return this.leftSteadyAt !== undefined;
  }

  get injectionTime(): number | undefined {
    return this.injectedAt;
  }

  /** Broker-reported group state changes, journaled as they happen (rebalances show up here). */
  private recordGroupStates(at: number, sample: Sample): void {
    for (const [group, g] of Object.entries(sample.groups)) {
      if (g.state === undefined) continue;
      const before = this.groupStates.get(group);
      if (before === g.state) continue;
      this.groupStates.set(group, g.state);
      this.journal.record('group.state', { group, from: before, to: g.state }, at);
    }
  }

  private watchAlert(at: number, sample: Sample): void {
    const transition = this.alert.feed(at, sample);
    if (transition === 'firing') {
      this.firing = true;
      this.journal.record('alert.firing', { rule: this.alertRule, value: undefined }, at);
      if (!this.alertFired.settled) this.alertFired.resolve(at);
    } else if (transition === 'resolved') {
      this.firing = false;
      this.journal.record('alert.resolved', { rule: this.alertRule }, at);
    }
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  settled: boolean;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const d: Deferred<T> = {
    promise: new Promise<T>((r) => (resolve = r)),
    resolve: (v) => {
      d.settled = true;
      resolve(v);
    },
    settled: false,
  };
  return d;
}
