/** Every container, network and volume a drill creates carries both: `gc` finds them without Ryuk. */
export const projectLabel = 'agentdrill';
export const drillLabel = 'agentdrill.drill';

export function drillLabels(drillId: string): Record<string, string> {
  return { [projectLabel]: '1', [drillLabel]: drillId };
}

/** A `docker … --filter` value: one drill's resources, or every agentdrill resource. */
export function labelFilter(drillId?: string): string {
  return drillId ? `label=${drillLabel}=${drillId}` : `label=${projectLabel}=1`;
}
