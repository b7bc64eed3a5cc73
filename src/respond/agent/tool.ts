import type { z } from 'zod';
import type { Tier } from '../tiers.ts';
import type { ToolOutcome } from '../call-log.ts';

/**
 * One MCP tool the drill serves: its input (zod, so a malformed call is rejected before it
 * runs), the tier a call runs at (it may depend on the arguments: scaling to zero destroys), and
 * what it does.
 */
export interface ToolSpec<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** MCP's hints for clients that ask before calling (the drill decides regardless). */
  hints?: { readOnlyHint?: boolean; destructiveHint?: boolean };
  /** The name permissions are declared under (a step's own name for run_step) and its tier. */
  tier(args: z.output<z.ZodObject<S>>): { name: string; tier: Tier };
  run(args: z.output<z.ZodObject<S>>): Promise<ToolOutcome>;
}

/** Keeps each tool's argument types while the list holds them all alike. */
export function defineTool<S extends z.ZodRawShape>(spec: ToolSpec<S>): ToolSpec {
  return spec as unknown as ToolSpec;
}
