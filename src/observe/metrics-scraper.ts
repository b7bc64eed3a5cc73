import { setMaxListeners } from 'node:events';
import type { Clock } from '../core/clock.ts';
import { matchesSelector, type WatchedSeries } from '../detect/series.ts';
import type { SeriesReading } from '../fleet/types.ts';
import { boundedGet } from './bounded-get.ts';
import { CounterIncrease } from './counter-increase.ts';
import { parseExposition } from './prometheus-text.ts';

/** A running instance whose endpoint to read, its `${...}` filled. */
export interface ScrapeTarget {
  instance: string;
  agent: string;
  url: string;
}

export interface MetricsScraperOptions {
  clock: Clock;
  /** The series the drill's rules name; nothing else is kept. */
  watched: readonly WatchedSeries[];
  /** The instances to read now: running, with a metrics endpoint. */
  targets: () => ScrapeTarget[];
  /** How long one read waits for the endpoints: well under the sampler's 250 ms. */
  waitMs?: number;
  /** A request still unanswered after this is abandoned. */
  timeoutMs?: number;
  /** Told when an instance's endpoint stops answering properly or fails otherwise (a reason), and answers again (undefined). */
  onProblem?: (instance: string, problem: string | undefined) => void;
}

interface InstanceState {
  inFlight?: Promise<void>;
  /** Watched key → this instance's sum of the series, from its last good answer. */
  values?: Map<string, number>;
  /** The read during which that answer came. */
  answeredIn: number;
  problem?: string;
}

const maxPageBytes = 4 * 1024 * 1024;

/**
 * Reads the agents' own /metrics once per sample. A read waits at most `waitMs` and never
 * starts a second request to an instance still answering the first, so a slow endpoint costs
 * freshness (its last values are kept and marked stale), never the sampler's pace.
 */
export class MetricsScraper {
  private readonly instances = new Map<string, InstanceState>();
  private readonly increases = new Map<string, CounterIncrease>();
  private readonly byAgent = new Map<string, WatchedSeries[]>();
  private readonly closed = new AbortController();
  private generation = 0;

  constructor(private readonly options: MetricsScraperOptions) {
    // One listener per scrape in flight, one scrape per instance: a fleet of more than ten is not a leak.
    setMaxListeners(0, this.closed.signal);
    for (const w of options.watched) this.byAgent.set(w.agent, [...(this.byAgent.get(w.agent) ?? []), w]);
  }

  /** Watched key → its reading; a series no running instance has shown is absent (no data). */
  async read(): Promise<Record<string, SeriesReading>> {
    this.generation++;
    const targets = this.options.targets().filter((t) => this.byAgent.has(t.agent));
    const live = new Set(targets.map((t) => t.instance));
    // The last answer of an instance that stopped or is restarting is from a process that is gone.
    for (const [id, state] of this.instances) if (!live.has(id)) state.values = undefined;
    const pending = Promise.all(targets.map((t) => this.scrape(t)));
    const timer = new AbortController();
    await Promise.race([pending, this.options.clock.sleep(this.options.waitMs ?? 150, timer.signal)]);
    timer.abort();
    return this.readings(targets);
  }

  /** Abandons requests in flight (the fleet is stopping). */
  close(): void {
    this.closed.abort();
  }

  private readings(targets: ScrapeTarget[]): Record<string, SeriesReading> {
    const out: Record<string, SeriesReading> = {};
    // One silent instance makes its agent's sums partial or old, whichever series they are.
    const staleAgents = new Set(targets.filter((t) => this.instances.get(t.instance)?.answeredIn !== this.generation).map((t) => t.agent));
    for (const t of targets) {
      const values = this.instances.get(t.instance)?.values;
      for (const w of this.byAgent.get(t.agent)!) {
        // Not a zero when absent: a series nobody has shown (a typo in its name) must read "no data".
        const value = values?.get(w.key);
        if (value === undefined) continue;
        const reading = (out[w.key] ??= { value: 0, increase: this.increaseOf(w.key).increase, stale: staleAgents.has(t.agent) });
        reading.value += value;
      }
    }
    return out;
  }

  private scrape(target: ScrapeTarget): Promise<void> {
    let state = this.instances.get(target.instance);
    if (!state) this.instances.set(target.instance, (state = { answeredIn: 0 }));
    const s = state;
    s.inFlight ??= this.fetchInto(target, s).finally(() => {
      s.inFlight = undefined;
    });
    return s.inFlight;
  }

  /** Never rejects: a failed read leaves the instance's last values in place. */
  private async fetchInto(target: ScrapeTarget, state: InstanceState): Promise<void> {
    try {
      const text = await boundedGet(target.url, { signal: this.closed.signal, timeoutMs: this.options.timeoutMs ?? 2000, maxBytes: maxPageBytes, accept: 'text/plain;version=0.0.4' });
      const parsed = parseExposition(text);
      if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.message}`);
      const values = new Map<string, number>();
      for (const w of this.byAgent.get(target.agent)!) {
        let sum: number | undefined;
        for (const s of parsed.exposition.samples) if (matchesSelector(w.selector, s.name, s.labels)) sum = (sum ?? 0) + s.value;
        if (sum === undefined) continue;
        values.set(w.key, sum);
        this.increaseOf(w.key).observe(target.instance, sum);
      }
      state.values = values;
      state.answeredIn = this.generation;
      this.report(target.instance, state, undefined);
    } catch (e) {
      const why = e instanceof Error && e.name === 'TimeoutError' ? 'no answer in time' : e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      this.report(target.instance, state, `${target.url}: ${why}`);
    }
  }

  private increaseOf(key: string): CounterIncrease {
    let c = this.increases.get(key);
    if (!c) this.increases.set(key, (c = new CounterIncrease()));
    return c;
  }

  private report(instance: string, state: InstanceState, problem: string | undefined): void {
    // Once per change, not once per sample: four reads a second of the same failure would drown the log.
    if (state.problem === problem) return;
    state.problem = problem;
    this.options.onProblem?.(instance, problem);
  }
}
