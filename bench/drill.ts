import path from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { eventsOfType } from '../src/core/journal.ts';
import { Journal } from '../src/core/journal.ts';
import { settingsFromEnv } from '../src/core/settings.ts';
import { evaluateRuleText, ruleDetection } from '../src/drill/detection.ts';
import { prepareDrill } from '../src/drill/prepare.ts';
import { runDrill } from '../src/drill/run-drill.ts';
import { providerFor } from '../src/infra/registry.ts';
import { scoreDrill } from '../src/score/index.ts';

export interface DrillFigures {
  verdict: string;
  wallMs: number;
  phasesMs: Record<string, number>;
  harnessCpuPercent: number;
  harnessMaxRssMb: number;
}

/** One real drill of a shipped scenario, timed by phase, with the harness's own CPU and memory. */
export async function benchDrill(scenario: string): Promise<DrillFigures> {
  const prepared = await prepareDrill({ scenarioFile: path.resolve(scenario) });
  const journal = new Journal(systemClock);
  let maxRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 250);
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  await runDrill({
    plan: prepared.plan,
    provider: providerFor(prepared.plan.provider),
    settings: settingsFromEnv(),
    clock: systemClock,
    detection: ruleDetection(prepared.alertRule, prepared.steadyRules, prepared.plan.steadyState.windowMs),
    evaluate: evaluateRuleText,
    progress: () => undefined,
    journal,
    signal: new AbortController().signal,
    versions: {},
  });
  const wallMs = performance.now() - t;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(rssTimer);
  const phases = eventsOfType(journal.events, 'phase.started');
  const end = journal.events.at(-1)!.at;
  const phasesMs: Record<string, number> = {};
  phases.forEach((p, i) => {
    phasesMs[p.payload.phase] = (phases[i + 1]?.at ?? end) - p.at;
  });
  return {
    verdict: scoreDrill(journal.events).verdict,
    wallMs,
    phasesMs,
    harnessCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    harnessMaxRssMb: maxRss / 1024 / 1024,
  };
}
