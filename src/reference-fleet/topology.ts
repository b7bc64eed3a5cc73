import type { ReferenceTopology } from './types.ts';

/** Topic and group names for one drill; the prefix keeps drills sharing a broker apart. */
export function createTopology(prefix: string, partitions: number): ReferenceTopology {
  const topics = {
    orders: `${prefix}orders`,
    inventoryChecked: `${prefix}inventory-checked`,
    decisions: `${prefix}decisions`,
    fulfilled: `${prefix}fulfilled`,
  };
  const groups = {
    inventory: `${prefix}inventory`,
    decision: `${prefix}decision`,
    fulfillment: `${prefix}fulfillment`,
    sink: `${prefix}sink`,
  };
  return {
    prefix,
    partitions,
    topics,
    groups,
    groupAgents: { inventory: 'inventory', decision: 'decision', fulfillment: 'fulfillment', sink: 'sink' },
    groupTopics: {
      [groups.inventory]: topics.orders,
      [groups.decision]: topics.inventoryChecked,
      [groups.fulfillment]: topics.decisions,
      [groups.sink]: topics.fulfilled,
    },
  };
}
