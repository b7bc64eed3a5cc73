import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { Clock } from '../core/clock.ts';
import { AgentdrillError, isAgentdrillError } from '../core/errors.ts';
import type { Phase } from '../core/events.ts';
import { Journal } from '../core/journal.ts';
import type { Settings } from '../core/settings.ts';
import { Teardown } from '../core/teardown.ts';
import { createFault } from '../faults/registry.ts';
import type { InfraProvider, Progress } from '../infra/provider.ts';
import { machineLoad, readCpuTimes } from '../observe/machine-load.ts';
import { Sampler } from '../observe/sampler.ts';
import { Paging } from './paging.ts';
import { controlRoutes, startControlServer } from './control-server.ts';
import { approvalRoutes } from './approval-routes.ts';
import { pageAlert } from './page-alert.ts';
import { ApprovalDesk } from '../respond/approvals.ts';
import { bringUpFleet } from './fleet-bringup.ts';
import { DrillMonitor, type Detection } from './monitor.ts';
import type { DrillPlan } from './plan.ts';
import { createResponder } from '../respond/registry.ts';
import { responderContext } from './responder-context.ts';
import { buildStepEnvironment } from './step-environment.ts';
import { drainAndCount } from './drain.ts';
import { describeBaselineFailure } from '../score/describe-inconclusive.ts';
import { warmUp } from './warmup.ts';
import { within } from './within.ts';
import { waitToInject } from './inject-wait.ts';

export interface DrillOptions {
  plan: DrillPlan;
  provider: InfraProvider;
  settings: Settings;
  clock: Clock;
  /** Uniform in [0, 1): random choices a fault makes (which instance), recorded in the journal. */
  random: () => number;
  detection: Detection;
  evaluate: (rule: string, sample: import('../observe/sample.ts').Sample) => { holds: boolean; failing: string[] };
  progress: Progress;
  journal?: Journal;
  /** Aborted on SIGINT/SIGTERM: the drill stops waiting and tears down. */
  signal: AbortSignal;
  versions: Record<string, string>;
}

/**
 * One drill, end to end. Whatever happens, teardown runs and the journal holds what happened;
 * the score is computed afterwards from the journal alone.
 */
export async function runDrill(options: DrillOptions): Promise<Journal> {
  const { plan, clock, progress, signal } = options;
  const journal = options.journal ?? new Journal(clock);
  const teardown = new Teardown();
  const phase = (p: Phase) => journal.record('phase.started', { phase: p });
  const workDir = await mkdtemp(path.join(os.tmpdir(), `agentdrill-${plan.drillId}-`));
  teardown.add('work dir', () => rm(workDir, { recursive: true, force: true }));
  journal.record('drill.started', {
    drillId: plan.drillId,
    scenario: { name: plan.name, file: plan.scenario.file, checksum: plan.scenario.checksum, description: plan.description },
    runbook: {
      file: plan.runbook.file,
      failureMode: plan.runbook.failureMode,
      checksum: plan.runbook.checksum,
      ...(plan.runbook.gitRevision ? { gitRevision: plan.runbook.gitRevision } : {}),
    },
    ...(plan.fleet.kind === 'file'
      ? {
          fleet: {
            name: plan.fleet.definition.name,
            file: plan.fleet.definition.file,
            checksum: plan.fleet.checksum,
            ...(plan.fleet.gitRevision ? { gitRevision: plan.fleet.gitRevision } : {}),
            ratePerSec: plan.fleet.ratePerSec,
            replicas: plan.fleet.replicas,
            versions: plan.fleet.versions,
            overrides: plan.fleet.overrides,
          },
        }
      : {}),
    targets: plan.targets,
    steadyState: plan.steadyState,
    alertRule: plan.runbook.alertRule,
    ...(plan.detection ? { detection: plan.detection } : {}),
    sampleIntervalMs: plan.sampleIntervalMs,
    provider: plan.provider,
    versions: options.versions,
  });
  try {
    checkAborted(signal);
    phase('provision');
    const infra = await options.provider.start({ settings: options.settings, progress, workDir, drillId: plan.drillId });
    teardown.add('infra', () => infra.stop());
    infra.onPlatformEvent?.((e) => journal.record('platform.event', e));
    options.versions.kafka = infra.kafka.version;
    options.versions.toxiproxy = infra.toxiproxy.version;
    checkAborted(signal);

    phase('fleet');
    const toxiproxy = new Toxiproxy(infra.toxiproxy.apiUrl);
    const kafka = new Kafka({ clientId: `agentdrill-${plan.drillId}`, brokers: infra.kafka.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    teardown.add('kafka admin', () => admin.disconnect());
    const up = await bringUpFleet({ plan, infra, kafka, admin, toxiproxy, settings: options.settings, workDir, progress, teardown, signal, clock });
    up.fleet.onEvent((e) => journal.record('fleet.event', { type: e.type, agent: e.agent, instanceId: e.instanceId, detail: e.detail }));

    const monitor = new DrillMonitor(journal, plan.runbook.alertRule, options.detection, { baselineMs: plan.steadyState.baselineWindowMs, recoveryMs: plan.steadyState.windowMs });
    // Paged by the team's Prometheus rule: the samples go to /metrics, the page to the monitor.
    const paging = new Paging(plan);
    const sampler = new Sampler({
      admin,
      fleet: up.fleet,
      clock,
      intervalMs: plan.sampleIntervalMs,
      onSample: (at, sample) => monitor.onSample(at, sample),
      ...(paging.onDetail ? { onDetail: paging.onDetail } : {}),
    });
    sampler.start();
    teardown.add('sampler', () => sampler.stop());
    await paging.start({ fleet: up.fleet, monitor, journal, clock, workDir, teardown, progress, signal, versions: options.versions });
    checkAborted(signal);
    const controlDeps = { fleet: up.fleet, admin, latestSample: () => sampler.latest(), evaluate: options.evaluate };
    const { approvalWaitMs } = plan.responder.policy;
    const approvals = approvalWaitMs === undefined ? undefined : new ApprovalDesk(journal, clock, progress, approvalWaitMs);
    const routes = { ...controlRoutes(controlDeps), ...approvalRoutes(approvals) };
    // Made before the control server: a person's `agentdrill ctl` at another terminal is the responder's to journal.
    const responder = await createResponder(plan.responder.type);
    teardown.add('responder', () => responder.stop());
    // Stopped before the responder (teardown runs newest first): a call still waiting is answered no.
    if (approvals) teardown.add('approvals', () => approvals.close());
    const control = await startControlServer(controlDeps, routes, responder.onControl && ((request, run) => responder.onControl!(request, run)));
    teardown.add('control server', () => control.close());
    progress(`control: export AGENTDRILL_CONTROL_URL=${control.url}   (agentdrill ctl status)`);
    const stepEnv = await buildStepEnvironment({
      settings: options.settings,
      workDir,
      infra,
      controlUrl: control.url,
      fleetVariables: up.stepVariables,
      drillId: plan.drillId,
      runbookEnv: plan.runbook.env,
    });
    // Who responds is ready before the fault: an agent connects and reads the runbook first.
    await responder.start(responderContext({ plan, journal, clock, progress, stepEnv, routes, approvals, fleet: up.fleet, latestSample: () => sampler.latest(), evaluate: options.evaluate }));

    phase('warmup');
    if (!(await warmUp({ plan, monitor, fleet: up.fleet, journal, clock, signal, progress }))) {
      // Ctrl-C during warm-up is an interruption (exit 130), not a warm-up that did not finish.
      checkAborted(signal);
      return journal;
    }

    phase('baseline');
    const baselineCpu = readCpuTimes();
    monitor.startBaseline();
    const healthy = await within(monitor.baselineHealthy.promise, plan.baselineMs, clock, signal);
    checkAborted(signal);
    if (healthy === undefined) {
      const summary = monitor.baselineSummary();
      const load = machineLoad(baselineCpu);
      journal.record('baseline.unhealthy', { baselineMs: plan.baselineMs, windowMs: plan.steadyState.baselineWindowMs, ...summary, load });
      progress(`baseline: the steady state did not hold for ${plan.steadyState.baselineWindowMs} ms within ${plan.baselineMs} ms (${describeBaselineFailure({ ...summary, load })})`);
      return journal;
    }

    if (plan.injectWindow) {
      await waitToInject(plan.injectWindow, { journal, clock, random: options.random, progress, signal });
      checkAborted(signal);
    }

    phase('inject');
    const fault = createFault(plan.fault);
    const faultContext = { toxiproxy, proxies: up.proxies, fleet: up.fleet, admin, journal, clock, random: options.random, cacheDir: options.settings.cacheDir };
    const injected = await fault.inject(faultContext);
    teardown.add('fault', () => injected.remove());
    const t0 = clock.now();
    const description = injected.describe?.() ?? fault.describe();
    journal.record('fault.injected', { fault: fault.type, description, detail: injected.detail }, t0);
    monitor.markInjected(t0);
    // The no-fault control pages the responder all the same: does it "fix" a healthy system?
    if (plan.fault.type === 'none' && plan.fault.page === 'anyway') monitor.page(t0);
    progress(`injected: ${description}`);

    phase('respond');
    const deadline = t0 + Math.min(plan.targets.recoverMs + plan.steadyState.windowMs, plan.timeLimitMs);
    const stepsAbort = new AbortController();
    signal.addEventListener('abort', () => stepsAbort.abort(), { once: true });
    // The responder is paged by the alert: no firing, no response (NaN marks "never fired").
    const response = monitor.alertFired.promise.then((firedAt) =>
      Number.isNaN(firedAt) ? undefined : responder.respond({ at: firedAt, alert: pageAlert(plan, journal) }, stepsAbort.signal),
    );
    await within(monitor.alertFired.promise, deadline - clock.now(), clock, signal);

    phase('recover');
    await within(monitor.recovered.promise, deadline - clock.now(), clock, signal);
    if (!monitor.alertFired.settled) monitor.alertFired.resolve(NaN);
    // A responder that ends only when told (an agent) may declare "resolved" until the deadline.
    if (monitor.recovered.settled && !responder.endsOnItsOwn) await within(response, deadline - clock.now(), clock, signal);
    // Steps still running past the deadline are part of a drill that is over.
    if (!monitor.recovered.settled || !responder.endsOnItsOwn) stepsAbort.abort();
    await response;
    // The response is over: a call still waiting for a person is answered no, so nothing
    // destructive can be approved into the drain and the integrity count.
    approvals?.close();
    checkAborted(signal);

    await injected.remove();
    journal.record('fault.removed', { fault: fault.type });
    monitor.stop();
    await paging.collect(t0, clock.now());

    phase('drain');
    const integrity = await drainAndCount({ fleet: up.fleet, sampler, clock, drainMs: plan.drainMs, signal, progress });
    phase('integrity');
    journal.record('integrity', integrity);
    if (injected.assess) {
      const assessment = await injected.assess(faultContext);
      journal.record('fault.assessed', { fault: fault.type, ...assessment });
    }
  } catch (e) {
    const error = isAgentdrillError(e) ? e : new AgentdrillError('INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
    journal.record('error', { code: error.code, message: error.message, hint: error.hint });
    if (error.code === 'INTERRUPTED') throw error;
  } finally {
    phase('teardown');
    const report = await teardown.run();
    for (const f of report.failures) progress(`teardown: ${f.name} failed: ${f.error}`);
  }
  return journal;
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AgentdrillError('INTERRUPTED', 'drill interrupted', { hint: 'everything it started has been stopped' });
}
