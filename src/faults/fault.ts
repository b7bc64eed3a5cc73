import type { Toxiproxy } from 'toxiproxy-node-client';
import type { StartedFleet } from '../fleet/types.ts';

/** What a fault may touch while it is injected. */
export interface FaultContext {
  toxiproxy: Toxiproxy;
  /** Logical dependency name (e.g. "inventory-api") → Toxiproxy proxy name. */
  proxies: Record<string, string>;
  fleet: StartedFleet;
}

/** A fault as configured, not yet injected. */
export interface Fault {
  readonly type: string;
  /** Short human description for progress lines and reports. */
  describe(): string;
  inject(context: FaultContext): Promise<InjectedFault>;
}

/** A fault in force; `remove` undoes whatever can be undone (idempotent). */
export interface InjectedFault {
  readonly detail: Record<string, unknown>;
  remove(): Promise<void>;
}
