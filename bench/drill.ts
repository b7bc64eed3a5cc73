import path from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { eventsOfType } from '../src/core/journal.ts';
import { Journal } from '../src/core/journal.ts';
import { settingsFromEnv } from '../src/core/settings.ts';
import { evaluateRuleText, ruleDetection } from '../src/drill/detection.ts';
import { prepareDrill } from '../src/drill/prepare.ts';
import { runDrill } from '../src/drill/run-drill.ts';
import { collectGarbage } from '../src/infra/docker/gc.ts';
import { providerFor } from '../src/infra/registry.ts';
import { detectionBreakdown, scoreDrill, type DetectionBreakdown } from '../src/score/index.ts';
import { benchSignal, withCleanup } from './cleanup.ts';
import { settingsWithAgentsInContainers } from './docker.ts';

export interface DrillFigures {
  provider: string;
  verdict: string;
  wallMs: number;
  phasesMs: Record<string, number>;
  harnessCpuPercent: number;
  harnessMaxRssMb: number;
  ttdMs: number | undefined;
  /** Paged by a Prometheus rule: threshold → pending → firing → notified, from injection. */
  detection?: DetectionBreakdown | undefined;
}

/**
 * One real drill of a shipped scenario, timed by phase, with the harness's own CPU and memory.
 * `provider` overrides the scenario's; on docker the agents run in containers, and whatever carries
 * the drill's label is removed afterwards on every path (the drill's own teardown should leave nothing).
 */
export async function benchDrill(scenario: string, provider?: string): Promise<DrillFigures> {
  const prepared = await prepareDrill({ scenarioFile: path.resolve(scenario), ...(provider ? { provider } : {}) });
  const onDocker = prepared.plan.provider === 'docker';
  const journal = new Journal(systemClock);
  let maxRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 250);
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  const drill = () =>
    runDrill({
      plan: prepared.plan,
      provider: providerFor(prepared.plan.provider),
      settings: onDocker ? settingsWithAgentsInContainers() : settingsFromEnv(),
      clock: systemClock,
      random: Math.random,
      detection: ruleDetection(prepared.alertRule, prepared.steadyRules),
      evaluate: evaluateRuleText,
      progress: () => undefined,
      journal,
      signal: benchSignal,
      versions: {},
    });
  try {
    if (onDocker) await withCleanup(() => leftovers(prepared.plan.drillId), drill);
    else await drill();
  } finally {
    clearInterval(rssTimer);
  }
  const wallMs = performance.now() - t;
  const cpu = process.cpuUsage(cpuBefore);
  const phases = eventsOfType(journal.events, 'phase.started');
  const end = journal.events.at(-1)!.at;
  const phasesMs: Record<string, number> = {};
  phases.forEach((p, i) => {
    phasesMs[p.payload.phase] = (phases[i + 1]?.at ?? end) - p.at;
  });
  const score = scoreDrill(journal.events);
  const t0 = eventsOfType(journal.events, 'fault.injected')[0]?.at;
  return {
    provider: prepared.plan.provider,
    verdict: score.verdict,
    ttdMs: score.ttdMs,
    detection: t0 === undefined ? undefined : detectionBreakdown(journal.events, t0),
    wallMs,
    phasesMs,
    harnessCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    harnessMaxRssMb: maxRss / 1024 / 1024,
  };
}

/** The label sweep after a docker drill; says so when the drill's own teardown left something. */
async function leftovers(drillId: string): Promise<void> {
  const found = await collectGarbage(drillId);
  const left = [...found.containers, ...found.networks, ...found.volumes];
  if (left.length > 0) console.error(`bench: drill ${drillId} left ${left.join(', ')} behind; removed`);
}
