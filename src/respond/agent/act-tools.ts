import { z } from 'zod';
import { AgentdrillError } from '../../core/errors.ts';
import type { ResponderEffect } from '../../core/events.ts';
import { ctlEquivalent, type CtlOp } from '../ctl-equivalent.ts';
import type { ResponderContext } from '../responder.ts';
import type { ToolOutcome } from '../call-log.ts';
import { defineTool, type ToolSpec } from './tool.ts';

const target = z.string().min(1).max(200).describe('an agent (every instance of it) or one instance id, e.g. inventory or inventory-2');

/**
 * Tools that change the fleet: a runbook step by name, and the ctl operations through the
 * control server's own handlers, so an agent's `ctl_scale` and a step's `agentdrill ctl scale`
 * run the same code. `signal` ends a step still running when the drill is over.
 */
export function actTools(context: ResponderContext, signal: () => AbortSignal): ToolSpec[] {
  const ctl = async (op: CtlOp, route: string, body: Record<string, unknown>, written: { target: string; replicas?: string }): Promise<ToolOutcome> => {
    const result = (await context.control(route, body)) as { acted?: string[]; instances?: { id: string }[] };
    const effect: ResponderEffect = {
      ctl: { op, target: written.target, ...(written.replicas === undefined ? {} : { replicas: written.replicas }) },
      instancesAfter: context.instancesByAgent(),
      acted: result.acted ?? result.instances?.map((i) => i.id) ?? [],
    };
    return { result, effect };
  };
  return [
    defineTool({
      name: 'run_step',
      title: 'Run a runbook step',
      description: "Runs one step of the failure mode's section by its name (read_runbook lists them), as on call: its command with the drill's environment. Answers its exit code and output. Long steps (waits) answer when they end.",
      input: { name: z.string().min(1).max(200) },
      tier: (args) => ({ name: args.name, tier: context.steps.find((s) => s.name === args.name)?.tier ?? 'read' }),
      run: async (args) => {
        const step = context.steps.find((s) => s.name === args.name);
        if (!step) {
          throw new AgentdrillError('USAGE', `the runbook section has no step "${args.name}"`, { hint: `steps: ${context.steps.map((s) => s.name).join(', ')}` });
        }
        if (step.manual) return { result: { manual: true, text: step.text, note: 'a manual step: do it by hand, then say so with post_note' }, effect: { step: { name: step.name, exitCode: null } } };
        const run = await context.runStep(step, signal());
        const ctlDone = run.exitCode === 0 ? ctlEquivalent(step.command) : undefined;
        const effect: ResponderEffect = {
          step: { name: step.name, exitCode: run.exitCode },
          ...(ctlDone ? { ctl: ctlDone, instancesAfter: context.instancesByAgent() } : {}),
        };
        return { result: { exitCode: run.exitCode, timedOut: run.timedOut, output: run.output }, effect, failed: run.exitCode !== 0 };
      },
    }),
    defineTool({
      name: 'ctl_status',
      title: 'Fleet status',
      description: 'Every instance (pid, state, restarts, last exit) and the latest sample, as `agentdrill ctl status` shows them.',
      input: {},
      hints: { readOnlyHint: true },
      tier: () => ({ name: 'ctl_status', tier: 'read' }),
      run: async () => ({ result: await context.control('GET /status', {}) }),
    }),
    defineTool({
      name: 'ctl_scale',
      title: 'Scale an agent',
      description: 'Sets an agent\'s replicas: absolute (3) or relative ("+2", "-1"), as `agentdrill ctl scale`. Scaling to zero is destructive.',
      input: { agent: z.string().min(1).max(200), replicas: z.union([z.number().int().min(0).max(64), z.string().regex(/^[+-]?\d{1,2}$/)]) },
      tier: (args) => ({ name: 'ctl_scale', tier: scalesToZero(String(args.replicas), context.instancesByAgent()[args.agent] ?? 0) ? 'destructive' : 'act' }),
      run: (args) => ctl('scale', 'POST /scale', { agent: args.agent, replicas: String(args.replicas) }, { target: args.agent, replicas: String(args.replicas) }),
    }),
    defineTool({
      name: 'ctl_restart',
      title: 'Restart an agent or instance',
      description: 'Restarts every instance of an agent, or one instance (also starts stopped ones); heapMb / memoryMb restart it with a larger limit, as `agentdrill ctl restart`.',
      input: { target, heapMb: z.number().int().min(16).max(1024 * 1024).optional(), memoryMb: z.number().int().min(16).max(1024 * 1024).optional() },
      tier: () => ({ name: 'ctl_restart', tier: 'act' }),
      run: (args) => ctl('restart', 'POST /restart', { target: args.target, heapMb: args.heapMb, memoryMb: args.memoryMb }, { target: args.target }),
    }),
    defineTool({
      name: 'ctl_stop',
      title: 'Stop an agent or instance',
      description: 'Stops every instance of an agent, or one instance, as `agentdrill ctl stop`.',
      input: { target },
      tier: () => ({ name: 'ctl_stop', tier: 'act' }),
      run: (args) => ctl('stop', 'POST /stop', { target: args.target }, { target: args.target }),
    }),
    defineTool({
      name: 'ctl_kill',
      title: 'Kill an agent or instance',
      description: 'Signals every instance of an agent, or one instance (SIGKILL unless told), as `agentdrill ctl kill`. Destructive: needs an approval.',
      input: { target, signal: z.enum(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT']).default('SIGKILL') },
      hints: { destructiveHint: true },
      tier: () => ({ name: 'ctl_kill', tier: 'destructive' }),
      run: (args) => ctl('kill', 'POST /kill', { target: args.target, signal: args.signal }, { target: args.target }),
    }),
  ];
}

/** "0", or a relative change that takes the agent to zero or below. */
export function scalesToZero(replicas: string, current: number): boolean {
  const n = Number(replicas);
  return /^[+-]/.test(replicas) ? current + n <= 0 : n === 0;
}
