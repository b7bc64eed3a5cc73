import type { ResponderEffect } from '../../core/events.ts';
import { scalesToZero } from '../agent/act-tools.ts';
import type { CtlOp } from '../ctl-equivalent.ts';
import type { Tier } from '../tiers.ts';

/** A terminal's `agentdrill ctl` request as a responder call: the agent tool's name where one exists, so both score alike. */
export interface CtlCall {
  tool: string;
  args: Record<string, unknown>;
  tier: Tier;
  /** The fleet operation, for the claims and the steps followed or added. */
  op?: CtlOp;
}

/**
 * How each control route counts for a person at a game day. `GET /eval` is not a call: `ctl wait`
 * polls it every half second, and a runbook's wait is journaled as the step that runs it.
 */
export function ctlCall(route: string, body: Record<string, unknown>, instances: Record<string, number>): CtlCall | undefined {
  const target = typeof body.target === 'string' ? body.target : undefined;
  switch (route) {
    case 'GET /status':
      return { tool: 'ctl_status', args: {}, tier: 'read', op: 'status' };
    case 'POST /scale': {
      const agent = String(body.agent ?? '');
      const replicas = String(body.replicas ?? '');
      return { tool: 'ctl_scale', args: { agent, replicas }, tier: scalesToZero(replicas, instances[agent] ?? 0) ? 'destructive' : 'act', op: 'scale' };
    }
    case 'POST /restart':
      return { tool: 'ctl_restart', args: { target, ...pick(body, ['heapMb', 'memoryMb']) }, tier: 'act', op: 'restart' };
    case 'POST /stop':
      return { tool: 'ctl_stop', args: { target }, tier: 'act', op: 'stop' };
    case 'POST /kill':
      return { tool: 'ctl_kill', args: { target, ...pick(body, ['signal']) }, tier: 'destructive', op: 'kill' };
    case 'POST /exec':
      return { tool: 'ctl_exec', args: { target, argv: body.argv }, tier: 'act' };
    case 'POST /config':
      return { tool: 'ctl_config', args: { target, patch: body.patch }, tier: 'act' };
    case 'POST /reset-offsets':
      // Offsets moved are events skipped or replayed: the linter's destructive action.
      return { tool: 'ctl_reset_offsets', args: { agent: body.agent, to: body.to }, tier: 'destructive' };
    default:
      return undefined;
  }
}

/** What a ctl operation changed, as the agent's ctl tools record it. */
export function ctlEffect(call: CtlCall, result: unknown, instancesAfter: Record<string, number>): ResponderEffect | undefined {
  if (!call.op || call.op === 'status') return undefined;
  const r = result as { acted?: string[]; instances?: { id: string }[] } | undefined;
  const target = call.op === 'scale' ? String(call.args.agent) : (call.args.target as string | undefined);
  return {
    ctl: { op: call.op, target, ...(call.op === 'scale' ? { replicas: String(call.args.replicas) } : {}) },
    instancesAfter,
    acted: r?.acted ?? r?.instances?.map((i) => i.id) ?? [],
  };
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
}
