import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseRule, watchedSeries, type Rule } from '../detect/index.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { PrometheusDetectionRecord } from '../core/events.ts';
import { maxRuleFileBytes } from '../detect/prometheus/rule-file.ts';
import { requirePrometheusTools } from '../detect/prometheus/tools.ts';
import type { PrometheusDetection } from '../scenario/detection-rules.ts';
import { fileLimits, readUserBytes } from '../core/user-file.ts';
import { agentVersions } from '../fleet/release/agent-version.ts';
import type { SetOverride } from '../fleet/release/set-flag.ts';
import { gitRevisionOf } from '../report/index.ts';
import { selectFailureMode } from '../runbook/load.ts';
import type { FailureMode } from '../runbook/model.ts';
import { loadDrillRunbook } from '../runbook/validate.ts';
import { loadScenario, type Scenario } from '../scenario/index.ts';
import type { DrillPlan, PlannedFleet, PlannedStep } from './plan.ts';
import { checkProviderFit, providerRunsImages } from './provider-fit.ts';
import { agentToolNames } from '../respond/agent/tool-names.ts';
import { closest } from '../detect/suggest.ts';
import { defaultPolicy } from '../respond/policy.ts';
import { isTier, stepTier, tiers } from '../respond/tiers.ts';
import type { ResponderType } from '../respond/types.ts';
import type { InjectWindow } from '../scenario/inject-window.ts';

export interface PreparedDrill {
  plan: DrillPlan;
  /** The built-in rule; undefined when a Prometheus rule pages instead. */
  alertRule: Rule | undefined;
  steadyRules: Rule[];
}

/**
 * Reads and checks everything a drill needs before anything starts: bad input exits 2 in
 * milliseconds, not after a broker came up.
 */
export async function prepareDrill(args: {
  scenarioFile: string;
  runbookOverride?: string;
  now?: Date;
  validate?: boolean;
  /** `--provider`: where Kafka and Toxiproxy run, overriding the scenario's `provider:`. */
  provider?: string;
  /** Settings.docker.agentsInContainers: under docker, a fleet file's agents run from their images. */
  agentsInContainers?: boolean;
  /** `--set`: written into the scenario's fleet file before it is checked. */
  overrides?: readonly SetOverride[];
  /** Fills `${env.NAME}` in versions (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** `--responder`: who responds, overriding the scenario's `responder:`. */
  responder?: ResponderType;
  /** `--inject-within`: overrides the scenario's `injectWithin:`. */
  injectWindow?: InjectWindow;
}): Promise<PreparedDrill> {
  const scenario = await loadScenario(args.scenarioFile, args.overrides);
  const runbookFile = args.runbookOverride ? path.resolve(args.runbookOverride) : scenario.runbook.file;
  // Linted for the provider it will run on (under kubernetes steps get kubectl and KUBECONFIG); --provider's flag schema allows only providerNames.
  const { runbook } = await loadDrillRunbook(runbookFile, { ...scenario, provider: (args.provider ?? scenario.provider) as typeof scenario.provider }, { validate: args.validate ?? true });
  const mode = selectFailureMode(runbook, scenario.runbook.failureMode);
  const alertText = scenario.alert?.text ?? mode.alert?.text;
  const alertRule = alertText === undefined ? undefined : parseRule(alertText);
  const prometheus = scenario.detection?.prometheus;
  // Paged by the team's own Prometheus rule: the runbook's built-in rule is not needed then.
  if (!alertRule?.ok && !prometheus) {
    throw new AgentdrillError('RUNBOOK_INVALID', `failure mode "#${mode.id}" in ${runbookFile} has no usable alert rule`, {
      hint: 'add an ```alert block under its Detect heading, e.g. throughput(group=inventory) < 40/s for 3s',
      context: { file: runbookFile, line: mode.line },
      problems: [{ file: runbookFile, line: mode.alert?.line ?? mode.line, message: 'no alert rule the drill can evaluate' }],
    });
  }
  // Prometheus and Alertmanager must be there before anything starts: one message, exit 4, the apt line.
  if (prometheus) requirePrometheusTools(args.env ?? process.env);
  const provider = args.provider ?? scenario.provider;
  await checkProviderFit({ scenarioFile: scenario.file, fleet: scenario.fleet.definition, fault: scenario.fault, provider, agentsInContainers: args.agentsInContainers ?? true });
  const drillId = drillIdFor(scenario.name, args.now ?? new Date());
  const plan: DrillPlan = {
    drillId,
    name: scenario.name,
    description: scenario.description,
    provider,
    scenario: { file: scenario.file, checksum: await checksum(scenario.file, 'scenario', fileLimits.scenario) },
    runbook: {
      file: runbookFile,
      checksum: await checksum(runbookFile, 'runbook', fileLimits.runbook),
      gitRevision: await gitRevisionOf(runbookFile),
      failureMode: mode.id,
      failureModeTitle: mode.title,
      alertRule: prometheus ? `${prometheus.alert} (Prometheus rule: ${prometheus.rule.expr}${prometheus.rule.forMs ? ` for ${prometheus.rule.forMs / 1000}s` : ''})` : alertText!,
      steps: plannedSteps(mode, runbookFile),
      env: runbook.env,
    },
    fleet: await plannedFleet(scenario, `ad-${drillId.slice(-6)}-`, [...(alertRule?.ok ? [alertRule.rule] : []), ...scenario.steadyState.rules, ...checkRules(mode)], args.env ?? process.env, providerRunsImages(provider, args.agentsInContainers ?? true)),
    fault: scenario.fault,
    ...((args.injectWindow ?? scenario.injectWithin) ? { injectWindow: args.injectWindow ?? scenario.injectWithin } : {}),
    responder: plannedResponder(scenario, args.responder, mode),
    detection: prometheus ? await detectionRecord(prometheus) : undefined,
    warmupMs: scenario.warmupMs,
    baselineMs: scenario.baselineMs,
    targets: scenario.targets,
    steadyState: { conditions: scenario.steadyState.conditions, windowMs: scenario.steadyState.windowMs, baselineWindowMs: scenario.steadyState.baselineWindowMs },
    sampleIntervalMs: scenario.sampleIntervalMs,
    drainMs: scenario.drainMs,
    timeLimitMs: scenario.timeLimitMs,
  };
  // Paged by Prometheus: the built-in rule must not page too (it stays for `validate` and reading).
  return { plan, alertRule: alertRule?.ok && !prometheus ? alertRule.rule : undefined, steadyRules: scenario.steadyState.rules };
}

async function detectionRecord(p: PrometheusDetection): Promise<PrometheusDetectionRecord> {
  return {
    kind: 'prometheus',
    alert: p.alert,
    expr: p.rule.expr,
    forMs: p.rule.forMs,
    labels: p.rule.labels,
    annotations: p.rule.annotations,
    ruleFiles: await Promise.all(p.ruleFiles.map(async (file) => ({ file, checksum: await checksum(file, 'rule file', maxRuleFileBytes) }))),
    scrapeIntervalMs: p.scrapeIntervalMs,
    evaluationIntervalMs: p.rule.groupIntervalMs ?? p.evaluationIntervalMs,
    groupWaitMs: p.groupWaitMs,
    groupIntervalMs: p.groupIntervalMs,
  };
}

async function plannedFleet(scenario: Scenario, prefix: string, rules: Rule[], env: NodeJS.ProcessEnv, runsImages: boolean): Promise<PlannedFleet> {
  const { fleet } = scenario;
  // A rate set on the command line is in the definition already, and wins over the scenario's.
  const rateSet = fleet.overrides.some((o) => o.path === 'load.rate');
  const ratePerSec = rateSet ? fleet.definition.load.ratePerSec : (scenario.load?.ratePerSec ?? fleet.definition.load.ratePerSec);
  const { file } = fleet.definition;
  const gitRevision = await gitRevisionOf(file);
  return {
    kind: 'file',
    runsImages,
    prefix,
    ratePerSec,
    definition: fleet.definition,
    replicas: fleet.replicas,
    deferredCommands: fleet.deferredCommands,
    watched: watchedSeries(rules),
    checksum: await checksum(file, 'fleet file', fileLimits.fleet),
    ...(gitRevision ? { gitRevision } : {}),
    versions: agentVersions(fleet.definition.agents, env),
    overrides: fleet.overrides.map((o) => ({ path: o.path, value: o.written })),
  };
}

/** The conditions of the failure mode's ```check blocks: `ctl wait` judges them on the samples. */
function checkRules(mode: FailureMode): Rule[] {
  return Object.values(mode.phases)
    .flat()
    .flatMap((s) => (s.check ? [s.check] : []));
}

function plannedSteps(mode: FailureMode, runbookFile: string): PlannedStep[] {
  const steps = Object.values(mode.phases).flat();
  // A tier attribute the drill cannot read would silently lower or raise what a responder may do.
  const bad = steps.filter((s) => s.attributes.tier !== undefined && !isTier(s.attributes.tier));
  if (bad.length > 0) {
    throw new AgentdrillError('RUNBOOK_INVALID', `${bad.length} step(s) of "#${mode.id}" have a tier the drill does not know`, {
      hint: `write tier=${tiers.join(', tier=')}`,
      problems: bad.map((s) => ({ file: runbookFile, line: s.line, message: `step "${s.name}": tier ${JSON.stringify(s.attributes.tier)} is not one of ${tiers.join(', ')}`, hint: 'e.g. ```sh {"name":"scale-out","tier":"act"}' })),
    });
  }
  return steps.map((s) => ({
    name: s.name,
    phase: s.phase,
    lang: s.lang,
    command: s.command,
    manual: s.manual,
    timeoutMs: s.attributes.timeout,
    line: s.line,
    text: s.text,
    tier: stepTier(s),
  }));
}

/** The flag's type wins over the scenario's; permissions come from the scenario only. */
function plannedResponder(scenario: Scenario, flag: ResponderType | undefined, mode: FailureMode): DrillPlan['responder'] {
  const config = scenario.responder;
  const policy = config ? { allow: config.allow, approve: config.approve, tiers: config.tiers, ...(config.approvalWait === undefined ? {} : { approvalWaitMs: config.approvalWait }) } : defaultPolicy;
  // An approval or tier for a name that is neither a step nor a tool would never apply: say so.
  const known = new Set([...Object.values(mode.phases).flat().map((s) => s.name), ...agentToolNames]);
  const unknown = [...policy.approve, ...Object.keys(policy.tiers)].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const guess = closest(unknown[0]!, [...known]);
    throw new AgentdrillError('SCENARIO_INVALID', `responder: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'names' : 'name'} no step of "#${mode.id}" and no tool`, {
      hint: `${guess ? `did you mean "${guess}"? ` : ''}name steps (${Object.values(mode.phases).flat().map((s) => s.name).join(', ')}) or tools (${agentToolNames.join(', ')})`,
      context: { file: scenario.file },
    });
  }
  return { type: flag ?? config?.type ?? 'script', policy };
}

/** Sortable and unique: the scenario name, UTC time, and a short random suffix. */
export function drillIdFor(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${name}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Read the same guarded way as when loaded: the path could have become a FIFO since. */
async function checksum(file: string, kind: string, maxBytes: number): Promise<string> {
  return 'sha256:' + createHash('sha256').update(await readUserBytes(file, { kind, maxBytes })).digest('hex');
}

export type { Scenario };
