import type { Admin } from 'kafkajs';
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Clock } from '../core/clock.ts';
import type { Journal } from '../core/journal.ts';
import type { StartedFleet } from '../fleet/types.ts';

/** What a fault may touch while it is injected and when it is assessed. */
export interface FaultContext {
  toxiproxy: Toxiproxy;
  /** Logical dependency name (e.g. "inventory-api") → Toxiproxy proxy name. */
  proxies: Record<string, string>;
  /** What a fault may act on; powers only some fleets have are in `fleet.faultHooks`. */
  fleet: StartedFleet;
  admin: Admin;
  journal: Journal;
  clock: Clock;
  /** Uniform in [0, 1): the drill's source for random choices (which instance), fixed in tests. */
  random: () => number;
  /** Where provisioned tools live (the memory-pressure program a fault copies into a container). */
  cacheDir: string;
}

/** A fault as configured, not yet injected. */
export interface Fault {
  readonly type: string;
  /** Short human description for progress lines and reports. */
  describe(): string;
  inject(context: FaultContext): Promise<InjectedFault>;
}

/**
 * Fault-specific figures taken after the drain (blast radius, state equality, OOM, rebalance
 * pause...). `failures` fail the drill like a missed target; `figures` go into every report.
 */
export interface FaultAssessment {
  figures: Record<string, number | string | boolean | null>;
  failures: string[];
}

/** A fault in force; `remove` undoes whatever can be undone (idempotent). */
export interface InjectedFault {
  readonly detail: Record<string, unknown>;
  /** What was done, once it is known (the instance a random choice hit); else the fault's describe(). */
  describe?(): string;
  remove(): Promise<void>;
  /** Called once after the drain, with the fleet still up. */
  assess?(context: FaultContext): Promise<FaultAssessment>;
}
