import path from 'node:path';
import { createFault } from '../faults/registry.ts';
import { isToxicFault } from '../faults/toxic-kinds.ts';
import { drillNames } from '../fleet/definition/resolve.ts';
import { kubernetesPlan, renderKubernetesPlan, type KubernetesPlanView } from './plan-kubernetes.ts';
import type { DrillPlan, PlannedFleet } from './plan.ts';

/** What `run --dry-run` shows of one drill: everything it would start and touch, nothing started. */
export interface PlanView {
  drillId: string;
  scenario: string;
  provider: string;
  fleet: {
    kind: 'file';
    name: string;
    file?: string;
    topics: { name: string; drillTopic: string; partitions: number }[];
    agents: { name: string; replicas: number; runs: string; group?: string; drillGroup?: string; consumes?: string; produces: string[]; metrics?: { url: string; series: string[] }; version?: string | null; versionFrom?: string | null }[];
    dependencies: { name: string; runs: string; proxy: string }[];
    load: { topic: string; ratePerSec: number; stamp: string };
    integrity: string;
    /** `run --set` as written: what this run changed in the fleet file. */
    overrides?: string[];
  };
  fault: { type: string; does: string; hits: string; injectWindow?: { fromMs: number; toMs: number } };
  runbook: { file: string; failureMode: string; alert: string; steps: { name: string; phase: string; command: string | null; tier: string }[] };
  /** Who responds, and what an agent may do without an approval. */
  responder: { type: string; allow: string; approve: string[] };
  targets: { detectMs: number; recoverMs: number };
  /** Paged by the team's Prometheus rule: what would start, with which rules and intervals. */
  monitoring?: { alert: string; ruleFiles: string[]; scrapeIntervalMs: number; evaluationIntervalMs: number; forMs: number; groupWaitMs: number };
  /** Under --provider kubernetes: every object the drill would create in the cluster. */
  kubernetes?: KubernetesPlanView;
}

export function planView(plan: DrillPlan): PlanView {
  const fault = createFault(plan.fault);
  return {
    drillId: plan.drillId,
    scenario: plan.scenario.file,
    provider: plan.provider,
    fleet: fileFleetView(plan.fleet),
    fault: { type: fault.type, does: fault.describe(), hits: faultTarget(plan), ...(plan.injectWindow ? { injectWindow: plan.injectWindow } : {}) },
    runbook: {
      file: plan.runbook.file,
      failureMode: plan.runbook.failureMode,
      alert: plan.runbook.alertRule,
      steps: plan.runbook.steps.map((s) => ({ name: s.name, phase: s.phase, command: s.manual ? null : (s.command ?? null), tier: plan.responder.policy.tiers[s.name] ?? s.tier })),
    },
    responder: { type: plan.responder.type, allow: plan.responder.policy.allow, approve: [...plan.responder.policy.approve] },
    targets: plan.targets,
    ...(plan.detection
      ? {
          monitoring: {
            alert: plan.detection.alert,
            ruleFiles: plan.detection.ruleFiles.map((r) => r.file),
            scrapeIntervalMs: plan.detection.scrapeIntervalMs,
            evaluationIntervalMs: plan.detection.evaluationIntervalMs,
            forMs: plan.detection.forMs,
            groupWaitMs: plan.detection.groupWaitMs,
          },
        }
      : {}),
    ...(plan.provider === 'kubernetes' ? { kubernetes: kubernetesPlan(plan) } : {}),
  };
}

/**
 * `${instance.heapMb}` filled with the agent's heap: it is the same for every instance at the start
 * (only `ctl restart --heap` changes one), so the plan can show the limit the drill starts with.
 * The other `${instance.*}` stay as written: they differ per instance.
 */
function withHeap(value: string, heapMb: number | undefined): string {
  return heapMb === undefined ? value : value.replace(/(^|[^$])\$\{instance\.heapMb\}/g, `$1${heapMb}`);
}

function fileFleetView(planned: PlannedFleet): PlanView['fleet'] {
  const fleet = planned.definition;
  const names = drillNames(fleet, planned.prefix);
  const argv = (c: { argv: string[] } | undefined, heapMb?: number) => (c ? c.argv.map((v) => withHeap(v, heapMb)).join(' ') : '(no command: needs an image and --provider docker)');
  return {
    kind: 'file',
    name: fleet.name,
    file: fleet.file,
    topics: Object.entries(fleet.topics).map(([name, t]) => ({ name, drillTopic: names.topics[name]!, partitions: t.partitions })),
    agents: Object.values(fleet.agents).map((a) => ({
      name: a.name,
      replicas: planned.replicas[a.name] ?? a.replicas,
      runs: planned.runsImages && a.image ? `image ${planned.versions[a.name]?.image ?? a.image}${a.build ? ` (built first from ${a.build.context})` : ''}` : argv(a.command, a.heap),
      ...(a.group ? { group: a.group, drillGroup: names.groups[a.group]!, consumes: a.consumes!.topic } : {}),
      produces: a.produces,
      ...metricsView(planned, a.name, a.metrics?.url),
      version: planned.versions[a.name]?.version ?? null,
      versionFrom: planned.versions[a.name]?.from ?? null,
    })),
    dependencies: Object.values(fleet.dependencies).map((d) => ({
      name: d.name,
      runs: d.upstream ? `upstream ${d.upstream}` : `stand-in: ${argv(d.command)}`,
      proxy: `${planned.prefix}${d.name}`,
    })),
    load: { topic: names.topics[fleet.load.topic]!, ratePerSec: planned.ratePerSec, stamp: `header ${fleet.load.stamp.header}${fleet.load.stamp.key ? ', key' : ''}${fleet.load.stamp.field ? `, field ${fleet.load.stamp.field}` : ''}` },
    integrity: fleet.integrity ? `read ${names.topics[fleet.integrity.topic]}, match by ${matchText(fleet.integrity.match)}` : 'none declared: loss cannot be judged (the verdict says so)',
    overrides: planned.overrides.map((o) => `${o.path}=${o.value}`),
  };
}

/** The endpoint an agent is read at, and only when some rule of the drill names one of its series. */
function metricsView(planned: PlannedFleet, agent: string, url: string | undefined): { metrics?: { url: string; series: string[] } } {
  const series = planned.watched.filter((w) => w.agent === agent).map((w) => w.key.slice(agent.length + 1));
  return url && series.length ? { metrics: { url, series } } : {};
}

function faultTarget(plan: DrillPlan): string {
  const f = plan.fault;
  const prefix = plan.fleet.prefix;
  if (isToxicFault(f)) return `dependency ${f.target}, through Toxiproxy proxy ${prefix}${f.target}`;
  switch (f.type) {
    case 'kill-consumer': {
      const group = plan.fleet.definition.agents[f.agent]?.group;
      const which = f.instance === 'random' ? 'a random running instance' : `instance #${f.instance}`;
      return `agent ${f.agent}, ${which} of ${replicasOf(plan, f.agent)}, in group ${prefix}${group}`;
    }
    case 'corrupt-state':
      return `agent ${f.agent}, instance #${f.instance} of ${replicasOf(plan, f.agent)}: ${stateText(plan, f.agent)}`;
    case 'memory-growth':
      return `agent ${f.target}`;
    case 'none':
      return f.page === 'anyway' ? 'nothing: the fleet stays healthy, and the responder is paged at injection all the same' : 'nothing: the fleet stays healthy, and only a false alarm pages';
  }
}

function stateText(plan: DrillPlan, agent: string): string {
  const state = plan.fleet.definition.agents[agent]?.state;
  if (!state) return 'its state';
  const where = 'file' in state ? `state file ${state.file}` : `state folder ${state.dir}`;
  return `${where}; afterwards ${state.verify ? `checked by ${state.verify.argv.join(' ')}` : 'not checked against the log (no state.verify)'}`;
}

function replicasOf(plan: DrillPlan, agent: string): number {
  const fleet = plan.fleet;
  return fleet.replicas[agent] ?? fleet.definition.agents[agent]?.replicas ?? 0;
}

/** No version to show for journals and plans that carry none. */
function versionText(a: PlanView['fleet']['agents'][number]): string {
  if (a.version === undefined) return '';
  return a.version === null ? ', version unknown (no version: and no image tag)' : `, version ${a.version} (from ${a.versionFrom === 'image' ? 'its image tag' : 'version:'})`;
}

function matchText(match: { header: string } | { key: true } | { field: string }): string {
  return 'header' in match ? `header ${match.header}` : 'key' in match ? 'record key' : `field ${match.field}`;
}

/** The plan as an SRE reads it before saying go. */
export function renderPlan(view: PlanView): string[] {
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  const f = view.fleet;
  const lines = [
    `drill ${view.drillId} (provider ${view.provider}): ${rel(view.scenario)}`,
    `  fleet ${f.name}${f.file ? ` (${rel(f.file)})` : ''}`,
    ...f.topics.map((t) => `    topic ${t.name} → ${t.drillTopic} (${t.partitions} partitions)`),
    ...f.dependencies.map((d) => `    dependency ${d.name}: ${d.runs}, behind proxy ${d.proxy}`),
    ...f.agents.flatMap((a) => [
      `    agent ${a.name} ×${a.replicas}${versionText(a)}: ${a.runs}${a.group ? `; consumes ${a.consumes} in group ${a.drillGroup}` : ''}`,
      ...(a.metrics ? [`      reads ${a.metrics.url} every sample: ${a.metrics.series.join(', ')}`] : []),
    ]),
    ...(f.overrides ?? []).map((o) => `    --set ${o}`),
    `    load: ${f.load.ratePerSec}/s on ${f.load.topic}, stamped in ${f.load.stamp}`,
    `    integrity: ${f.integrity}`,
    ...(view.kubernetes ? renderKubernetesPlan(view.kubernetes) : []),
    `  fault ${view.fault.type}: ${view.fault.does}`,
    `    hits ${view.fault.hits}`,
    ...(view.fault.injectWindow ? [`    injected at a random moment ${view.fault.injectWindow.fromMs / 1000}..${view.fault.injectWindow.toMs / 1000} s after the baseline held (a game day)`] : []),
    `  runbook ${rel(view.runbook.file)}#${view.runbook.failureMode}, paged by: ${view.runbook.alert}`,
    ...(view.monitoring
      ? [
          `    Prometheus with ${view.monitoring.ruleFiles.map(rel).join(', ')}: scrape every ${view.monitoring.scrapeIntervalMs / 1000} s, evaluate every ${view.monitoring.evaluationIntervalMs / 1000} s, ${view.monitoring.alert} for ${view.monitoring.forMs / 1000} s`,
          `    Alertmanager: group_wait ${view.monitoring.groupWaitMs / 1000} s, then the webhook page starts the steps`,
        ]
      : []),
    ...view.runbook.steps.map((s) => `    ${s.phase.padEnd(8)} ${s.name}: ${s.command === null ? '(manual)' : s.command.split('\n')[0]}${view.responder.type === 'script' ? '' : `  [${s.tier}]`}`),
    view.responder.type === 'script'
      ? '  responder: script (agentdrill runs the steps once paged)'
      : `  responder: ${view.responder.type}, ${view.responder.type === 'human' ? "at this terminal's drill prompt" : 'over MCP on loopback'}; allowed up to ${view.responder.allow}${view.responder.approve.length ? `, approved: ${view.responder.approve.join(', ')}` : ', nothing destructive approved'}`,
    `  targets: detect within ${view.targets.detectMs / 1000} s, recover within ${view.targets.recoverMs / 1000} s`,
    '  nothing was started (--dry-run)',
  ];
  return lines;
}
