import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { eventsOfType, type JournalEvent } from '../src/core/journal.ts';
import { collectGarbage } from '../src/infra/docker/gc.ts';
import { readJournal } from '../src/report/journal-file.ts';
import { detectionBreakdown, scoreDrill, type DetectionBreakdown } from '../src/score/index.ts';
import { benchSignal, withCleanup } from './cleanup.ts';
import { readProcessUsage, type ProcessUsage } from './process-usage.ts';

export interface DrillFigures {
  provider: string;
  verdict: string;
  wallMs: number;
  phasesMs: Record<string, number>;
  /** The CLI's own CPU from its first phase to its exit, as % of one core. */
  harnessCpuPercent: number;
  /**
   * The CLI's CPU during the baseline phase alone, as % of one core: the fleet under load, sampled,
   * no fault and no response. The steady cost of watching a fleet, apart from a drill's fixed costs.
   */
  harnessBaselineCpuPercent: number | undefined;
  /** CPU the CLI spent before its first phase: loading its modules and reading the scenario. */
  harnessStartupCpuMs: number;
  harnessMaxRssMb: number;
  ttdMs: number | undefined;
  /** Paged by a Prometheus rule: threshold → pending → firing → notified, from injection. */
  detection?: DetectionBreakdown | undefined;
}

const cli = path.resolve(import.meta.dirname, '..', 'bin', 'agentdrill.mjs');
const pollMs = 100;

/**
 * One real drill of a shipped scenario, run as a user runs it: `agentdrill run` as its own process,
 * started through the bin file's shebang (so with the Node flags it sets). The harness's CPU and
 * memory are that process's own, read from /proc; agents, Kafka and Toxiproxy are not in them.
 * `provider` overrides the scenario's and `extraArgs` go on the command line (`--set ...`); after a
 * docker drill, whatever carries its label is removed (and reported: the drill's own teardown
 * should leave nothing). `onJournal` gets the drill's journal for figures of a caller's own.
 */
export async function benchDrill(
  scenario: string,
  provider?: string,
  extraArgs: readonly string[] = [],
  onJournal?: (events: readonly JournalEvent[]) => void,
): Promise<DrillFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agentdrill-bench-drill-'));
  // One level down: a drill keeps its history file beside its --out folder, and that must go too.
  const out = path.join(dir, 'drill');
  try {
    const run = () => runCli(['run', path.resolve(scenario), '--out', out, '--json', ...(provider ? ['--provider', provider] : []), ...extraArgs]);
    const usage = provider === 'docker' ? await withCleanup(() => leftoversOf(out), run) : await run();
    const { events } = await readJournal(path.join(out, 'journal.json'));
    onJournal?.(events);
    return figures(events, usage);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface CliUsage {
  wallMs: number;
  total: ProcessUsage;
  /** The reading when the first phase began, and how long after the spawn: what start-up cost. */
  atFirstPhase: ProcessUsage | undefined;
  startupWallMs: number;
  /** Every poll's CPU reading, by wall-clock time (the journal's clock), to cut out one phase. */
  cpuAt: { at: number; cpuMs: number }[];
}

async function runCli(args: string[]): Promise<CliUsage> {
  const t = performance.now();
  // SIGINT, as Ctrl-C would: the drill tears down before it exits.
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], signal: benchSignal, killSignal: 'SIGINT' });
  const pid = child.pid!;
  let last: ProcessUsage = { cpuMs: 0, maxRssMb: 0 };
  let atFirstPhase: ProcessUsage | undefined;
  let startupWallMs: number | undefined;
  const cpuAt: { at: number; cpuMs: number }[] = [];
  const poll = setInterval(() => {
    // An exited process not yet reaped still shows its CPU but no longer its memory: keep the highs.
    const now = readProcessUsage(pid);
    if (now) last = { cpuMs: Math.max(last.cpuMs, now.cpuMs), maxRssMb: Math.max(last.maxRssMb, now.maxRssMb) };
    if (now) cpuAt.push({ at: Date.now(), cpuMs: now.cpuMs });
  }, pollMs);
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (startupWallMs === undefined && /\] phase: /.test(line)) {
      atFirstPhase = readProcessUsage(pid);
      startupWallMs = performance.now() - t;
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  }).finally(() => clearInterval(poll));
  // Exit 1 is a drill that did not pass, still measured; anything else means there is no drill to measure.
  if (code !== 0 && code !== 1) throw new Error(`agentdrill ${args.join(' ')} exited ${code}:\n${tail.join('\n')}`);
  return { wallMs: performance.now() - t, total: last, atFirstPhase, startupWallMs: startupWallMs ?? 0, cpuAt };
}

function figures(events: readonly JournalEvent[], usage: CliUsage): DrillFigures {
  const phases = eventsOfType(events, 'phase.started');
  const end = events.at(-1)!.at;
  const phasesMs: Record<string, number> = {};
  phases.forEach((p, i) => {
    phasesMs[p.payload.phase] = (phases[i + 1]?.at ?? end) - p.at;
  });
  const score = scoreDrill(events);
  const t0 = eventsOfType(events, 'fault.injected')[0]?.at;
  const startup = usage.atFirstPhase ?? { cpuMs: 0, maxRssMb: 0 };
  const baselineAt = phases.findIndex((p) => p.payload.phase === 'baseline');
  return {
    provider: eventsOfType(events, 'drill.started')[0]?.payload.provider ?? '?',
    verdict: score.verdict,
    ttdMs: score.ttdMs,
    detection: t0 === undefined ? undefined : detectionBreakdown(events, t0),
    wallMs: usage.wallMs,
    phasesMs,
    harnessCpuPercent: ((usage.total.cpuMs - startup.cpuMs) / (usage.wallMs - usage.startupWallMs)) * 100,
    harnessBaselineCpuPercent: baselineAt < 0 ? undefined : cpuPercentBetween(usage.cpuAt, phases[baselineAt]!.at, phases[baselineAt + 1]?.at ?? end),
    harnessStartupCpuMs: startup.cpuMs,
    harnessMaxRssMb: usage.total.maxRssMb,
  };
}

/** CPU between two times from the polls inside them (100 ms apart, so at least a few seconds are needed). */
function cpuPercentBetween(readings: readonly { at: number; cpuMs: number }[], from: number, to: number): number | undefined {
  const inside = readings.filter((r) => r.at >= from && r.at <= to);
  if (inside.length < 10) return undefined;
  const [first, last] = [inside[0]!, inside.at(-1)!];
  return ((last.cpuMs - first.cpuMs) / (last.at - first.at)) * 100;
}

/** The label sweep after a docker drill; says so when the drill's own teardown left something. */
async function leftoversOf(out: string): Promise<void> {
  const drillId = await readJournal(path.join(out, 'journal.json')).then(
    (j) => eventsOfType(j.events, 'drill.started')[0]?.payload.drillId,
    () => undefined,
  );
  if (!drillId) return;
  const found = await collectGarbage(drillId);
  const left = [...found.containers, ...found.networks, ...found.volumes];
  if (left.length > 0) console.error(`bench: drill ${drillId} left ${left.join(', ')} behind; removed`);
}
