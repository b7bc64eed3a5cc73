import os from 'node:os';
import { eventsOfType, type JournalEvent } from '../src/core/journal.ts';
import { evaluateCondition, parseRule } from '../src/detect/index.ts';
import { ruleForWindowMs } from '../src/score/index.ts';
import type { Sample } from '../src/observe/sample.ts';
import { benchDrill, type DrillFigures } from './drill.ts';

/** A fleet size the harness is measured at: one kill-consumer drill with these --set flags. */
interface FleetSize {
  label: string;
  instances: number;
  partitions: number;
  replicas: Record<'inventory' | 'decision' | 'fulfillment' | 'sink', number>;
}

// 50 instances: replicas are bounded at 32 an agent, so inventory takes 32 and the other three 6 each.
const sizes: FleetSize[] = [
  { label: 'small', instances: 6, partitions: 6, replicas: { inventory: 3, decision: 1, fulfillment: 1, sink: 1 } },
  { label: 'large', instances: 50, partitions: 200, replicas: { inventory: 32, decision: 6, fulfillment: 6, sink: 6 } },
];

export interface FleetScaleRow {
  size: FleetSize;
  drill: DrillFigures;
  /** Gaps between consecutive samples (the sampler stretches its 250 ms when a sample takes longer). */
  sampleGapMs: { median: number; p95: number; count: number };
  /** From the first sample in which the alert's condition held (and kept holding) to its firing. */
  alertDelayMs: number | undefined;
  /** The rule's own `for`: the part of that delay that is the rule's, not the harness's. */
  forMs: number;
  sampleIntervalMs: number;
  /** The machine's 1-minute load average when the drill ended: 50 agent processes fill 2 cores. */
  loadAverage: number;
}

function setFlags(s: FleetSize): string[] {
  const topics = ['orders', 'inventory-checked', 'decisions', 'fulfilled'].map((t) => `topics.${t}.partitions=${s.partitions}`);
  const agents = Object.entries(s.replicas).map(([agent, n]) => `agents.${agent}.replicas=${n}`);
  return [...topics, ...agents].flatMap((v) => ['--set', v]);
}

/**
 * The harness at two fleet sizes, as issue 16 asks: 6 agent instances on 6 partitions a topic, and
 * 50 on 200, in one real kill-consumer drill each (local provider). Reads the harness's CPU and
 * memory, the sampler's cadence and how long after its condition the alert fired.
 */
export async function benchFleetScale(): Promise<FleetScaleRow[]> {
  const rows: FleetScaleRow[] = [];
  for (const size of sizes) {
    let events: readonly JournalEvent[] = [];
    const drill = await benchDrill('scenarios/kill-consumer.yaml', undefined, setFlags(size), (e) => (events = e));
    rows.push({ size, drill, ...cadence(events), loadAverage: os.loadavg()[0]! });
  }
  return rows;
}

function cadence(events: readonly JournalEvent[]): Omit<FleetScaleRow, 'size' | 'drill' | 'loadAverage'> {
  const started = eventsOfType(events, 'drill.started')[0]!.payload;
  const samples = eventsOfType(events, 'sample');
  const gaps = samples.slice(1).map((s, i) => s.at - samples[i]!.at).sort((a, b) => a - b);
  const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? Number.NaN;
  const firing = eventsOfType(events, 'alert.firing')[0];
  const injected = eventsOfType(events, 'fault.injected')[0];
  let alertDelayMs: number | undefined;
  const parsed = parseRule(started.alertRule);
  if (firing && injected && parsed.ok) {
    // The start of the run of samples, up to the firing, in which the condition held throughout.
    let since: number | undefined;
    for (const s of samples) {
      if (s.at < injected.at || s.at > firing.at) continue;
      const holds = evaluateCondition(parsed.rule, s.payload as Sample).holds;
      if (!holds) since = undefined;
      else since ??= s.at;
    }
    if (since !== undefined) alertDelayMs = firing.at - since;
  }
  return { sampleGapMs: { median: at(0.5), p95: at(0.95), count: samples.length }, alertDelayMs, forMs: ruleForWindowMs(started.alertRule), sampleIntervalMs: started.sampleIntervalMs };
}

export function formatFleetScale(rows: readonly FleetScaleRow[]): string[] {
  const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
  const line = (label: string, f: (r: FleetScaleRow) => string) => `  ${label.padEnd(42)}${rows.map((r) => f(r).padStart(27)).join('')}`;
  return [
    line('', (r) => `${r.size.instances} instances × ${r.size.partitions} part.`),
    line('verdict', (r) => r.drill.verdict),
    line('wall', (r) => ms(r.drill.wallMs)),
    line('  fleet bring-up', (r) => ms(r.drill.phasesMs.fleet)),
    line('  warm-up (all joined, caught up once)', (r) => ms(r.drill.phasesMs.warmup)),
    line('load average (1 min) at the end', (r) => r.loadAverage.toFixed(1)),
    line('harness CPU, % of a core (goal ≤ 5)', (r) => `${r.drill.harnessCpuPercent.toFixed(1)}%`),
    line('  of it in the baseline (steady state)', (r) => (r.drill.harnessBaselineCpuPercent === undefined ? '—' : `${r.drill.harnessBaselineCpuPercent.toFixed(1)}%`)),
    line('harness max RSS (goal ≤ 150 MB)', (r) => `${r.drill.harnessMaxRssMb.toFixed(0)} MB`),
    line('sample gap, median / p95 (interval 250 ms)', (r) => `${ms(r.sampleGapMs.median)} / ${ms(r.sampleGapMs.p95)}`),
    line('alert: condition held → fired (its for +)', (r) => (r.alertDelayMs === undefined ? 'did not fire' : `${ms(r.forMs)} + ${ms(r.alertDelayMs - r.forMs)}`)),
    line('TTD', (r) => ms(r.drill.ttdMs)),
  ];
}
