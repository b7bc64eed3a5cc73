/** Every container, network and volume a drill creates carries both: `gc` finds them without Ryuk. */
export const projectLabel = 'agentdrill';
export const drillLabel = 'agentdrill.drill';
/** The run (AGENTDRILL_RUN_ID) a drill belongs to, when one is set. */
export const runLabel = 'agentdrill.run';

/** Who a drill's resource belongs to: its drill (its label value is the id), and its run (optional). */
export interface DrillOwner {
  drillId: string;
  runId?: string | undefined;
}

export function drillLabels(owner: DrillOwner): Record<string, string> {
  return { [projectLabel]: '1', [drillLabel]: owner.drillId, ...(owner.runId ? { [runLabel]: owner.runId } : {}) };
}

/** Whose resources: one drill's, one run's (AGENTDRILL_RUN_ID), or every agentdrill resource. */
export type LabelScope = string | { runId: string } | undefined;

/** A `docker … --filter` value for a scope (a bare string is a drill id). */
export function labelFilter(scope?: LabelScope): string {
  if (typeof scope === 'string') return `label=${drillLabel}=${scope}`;
  if (scope) return `label=${runLabel}=${scope.runId}`;
  return `label=${projectLabel}=1`;
}
