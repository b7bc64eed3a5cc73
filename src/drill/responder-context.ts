import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { AgentdrillError } from '../core/errors.ts';
import type { Journal } from '../core/journal.ts';
import type { StartedFleet } from '../fleet/types.ts';
import type { Progress } from '../infra/provider.ts';
import type { Sample } from '../observe/sample.ts';
import type { ResponderContext } from '../respond/responder.ts';
import type { ApprovalDesk } from '../respond/approvals.ts';
import type { Handler } from './control-server.ts';
import type { DrillPlan } from './plan.ts';
import { journaledStepRunner } from './step-runner.ts';

/** What the drill hands its responder: the runbook section, the step runner and the control server's handlers. */
export function responderContext(o: {
  plan: DrillPlan;
  journal: Journal;
  clock: Clock;
  progress: Progress;
  stepEnv: NodeJS.ProcessEnv;
  routes: Record<string, Handler>;
  approvals: ApprovalDesk | undefined;
  fleet: StartedFleet;
  latestSample: () => { at: number; sample: Sample } | undefined;
  evaluate: (rule: string, sample: Sample) => { holds: boolean; failing: string[] };
}): ResponderContext {
  const { plan } = o;
  return {
    journal: o.journal,
    clock: o.clock,
    progress: o.progress,
    steps: plan.runbook.steps,
    failureMode: { id: plan.runbook.failureMode, title: plan.runbook.failureModeTitle, alertRule: plan.runbook.alertRule, runbookFile: plan.runbook.file },
    policy: plan.responder.policy,
    ...(o.approvals ? { approvals: o.approvals } : {}),
    runStep: journaledStepRunner({ journal: o.journal, clock: o.clock, env: o.stepEnv, cwd: path.dirname(plan.runbook.file), defaultTimeoutMs: 60_000 }),
    control: (route, body, params) => {
      const handler = o.routes[route];
      if (!handler) return Promise.reject(new AgentdrillError('INTERNAL', `no control route ${route}`));
      return handler(body, params ?? new URLSearchParams());
    },
    latestSample: o.latestSample,
    evaluate: o.evaluate,
    instancesByAgent: () => {
      const counts: Record<string, number> = {};
      for (const i of o.fleet.instances()) if (i.state !== 'stopped') counts[i.agent] = (counts[i.agent] ?? 0) + 1;
      return counts;
    },
  };
}
