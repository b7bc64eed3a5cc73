import type { Admin, Kafka } from 'kafkajs';
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Clock } from '../core/clock.ts';
import type { Settings } from '../core/settings.ts';
import type { Teardown } from '../core/teardown.ts';
import type { StartedFleet } from '../fleet/types.ts';
import type { Progress, StartedInfra } from '../infra/provider.ts';
import type { DrillPlan } from './plan.ts';
import { bringUpTeamFleet } from './team-bringup.ts';

/** A drill's fleet, running, as the rest of the drill uses it whoever wrote its agents. */
export interface FleetUp {
  fleet: StartedFleet;
  /** Fault target (dependency) name → its Toxiproxy proxy name. */
  proxies: Record<string, string>;
  /** The fleet's names and addresses as runbook steps see them. */
  stepVariables: Record<string, string>;
}

export function bringUpFleet(args: {
  plan: DrillPlan;
  infra: StartedInfra;
  kafka: Kafka;
  admin: Admin;
  toxiproxy: Toxiproxy;
  settings: Settings;
  workDir: string;
  progress: Progress;
  teardown: Teardown;
  signal: AbortSignal;
  /** Paces what the fleet reads on its own (a team's /metrics endpoints). */
  clock?: Clock;
}): Promise<FleetUp> {
  return bringUpTeamFleet({ ...args, planned: args.plan.fleet, drillId: args.plan.drillId });
}
