import type { Command } from 'commander';
import { checkDuration, durationCeilings, type DurationRange } from '../core/duration.ts';
import { AgentdrillError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import type { CommandContext } from './main.ts';
import { ctlByHeader, ctlOriginEnv, ctlOriginHeader } from '../drill/control-origin.ts';
import { responderName } from '../respond/human/who.ts';
import { registerApprovalCommands } from './ctl-approvals.ts';

const controlEnv = 'AGENTDRILL_CONTROL_URL';
const mcpEnv = 'AGENTDRILL_MCP_URL';

/** `agentdrill ctl`: operations on the running drill's fleet, for runbook steps and people alike. */
export function registerCtlCommand(program: Command, context: CommandContext): void {
  const ctl = program
    .command('ctl')
    .description(`operate the running drill's fleet (runbook steps use this; needs ${controlEnv}, set in every step's environment)`)
    .option('--control <url>', `control URL of the running drill (default: $${controlEnv})`);
  const call = async (method: 'GET' | 'POST', route: string, body?: unknown) =>
    request(ctl.opts<{ control?: string }>().control ?? process.env[controlEnv], method, route, body);
  const print = (value: unknown): void => {
    context.stdout.write(JSON.stringify(value, null, 2) + '\n');
  };

  ctl
    .command('scale <agent> <replicas>')
    .description('set an agent\'s replicas: an absolute count (3) or a change ("+2", "-1")')
    .action(async (agent: string, replicas: string) => {
      const result = (await call('POST', '/scale', { agent, replicas })) as { instances: { id: string }[] };
      context.stdout.write(`${agent}: ${result.instances.length} instance(s): ${result.instances.map((i) => i.id).join(', ')}\n`);
    });
  ctl
    .command('config <target> <settings...>')
    .description('change runtime settings of an agent\'s instances, e.g. cacheTtlMs=2000 (POST /config on each)')
    .action(async (target: string, settings: string[]) => {
      const result = (await call('POST', '/config', { target, patch: parseSettings(settings) })) as { acted: string[] };
      context.stdout.write(`config: ${result.acted.join(', ')}\n`);
    });
  ctl
    .command('reset-offsets <agent>')
    .description("reset an agent's consumer group (the group must be empty: stop the agent first)")
    .option('--to <position>', 'earliest, latest or an offset number', 'earliest')
    .action(async (agent: string, opts: { to: string }) => {
      const result = (await call('POST', '/reset-offsets', { agent, to: opts.to })) as {
        group: string;
        partitions: { partition: number; offset: string }[];
      };
      context.stdout.write(`reset ${result.group}: ${result.partitions.map((p) => `${p.partition}→${p.offset}`).join(' ')}\n`);
    });
  ctl
    .command('restart <target>')
    .description('restart every instance of an agent, or one instance by id (also starts stopped ones)')
    .option('--heap <MB>', "an agent that declares heap: restart with this heap limit (e.g. after an OOM), its command filled anew; in a container without memory: its limit becomes heap + 64 MB")
    .option('--memory <MB>', "a team's agent in a container: restart with this memory limit (e.g. after an OOM kill)")
    .action(async (target: string, opts: { heap?: string; memory?: string }) => {
      const heapMb = megabytesFlag('--heap', opts.heap);
      const memoryMb = megabytesFlag('--memory', opts.memory);
      const result = (await call('POST', '/restart', { target, heapMb, memoryMb })) as { acted: string[] };
      context.stdout.write(`restart: ${result.acted.join(', ')}\n`);
    });
  for (const verb of ['stop', 'kill'] as const) {
    ctl
      .command(`${verb} <target>`)
      .description(`${verb} every instance of an agent, or one instance by id`)
      .action(async (target: string) => {
        const result = (await call('POST', `/${verb}`, { target })) as { acted: string[] };
        context.stdout.write(`${verb}: ${result.acted.join(', ')}\n`);
      });
  }
  ctl
    .command('exec <target> <argv...>')
    .description("run a command where each instance of an agent (or one instance) runs, like kubectl exec: with its environment and folder, or inside its container; put it after --, e.g. ctl exec scorer -- sh -c 'ls \"$STATE_FILE\"'")
    .option('--timeout <duration>', 'give up on each instance after this long', '60s')
    .action(async (target: string, argv: string[], opts: { timeout: string }) => {
      const timeoutMs = durationFlag('--timeout', opts.timeout, { max: 10 * 60_000 });
      const result = (await call('POST', '/exec', { target, argv, timeoutMs })) as { runs: ExecRun[] };
      for (const run of result.runs) context.stdout.write(describeRun(run));
      // Like a shell loop over the instances: any one that failed fails the step.
      if (result.runs.some((r) => r.exitCode !== 0)) context.exitCode = ExitCode.failed;
    });
  ctl
    .command('mcp')
    .description(`serve the running drill's MCP tools on stdin/stdout for an agent (needs ${mcpEnv}, printed by a drill run with --responder agent); a bridge to its streamable HTTP endpoint`)
    .option('--mcp <url>', `the drill's MCP URL (default: $${mcpEnv})`)
    .action(async (opts: { mcp?: string }) => {
      const url = opts.mcp ?? process.env[mcpEnv];
      const hint = 'run the drill with --responder agent; it prints its MCP URL (http://127.0.0.1:<port>/mcp)';
      if (!url) throw new AgentdrillError('CONTROL_UNREACHABLE', `no drill to serve: ${mcpEnv} is not set`, { hint });
      // The drill serves on loopback only; anything else is a typo or not a drill.
      if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+\/mcp$/.test(url)) throw new AgentdrillError('USAGE', `"${url}" is not a drill's MCP URL`, { hint });
      const { bridgeStdio } = await import('../respond/agent/stdio-bridge.ts');
      await bridgeStdio(url);
    });
  registerApprovalCommands(ctl, call, context);
  ctl
    .command('status')
    .description('instances (pid, state, restarts, last exit; the container under docker) and the latest sample (lag, throughput, memory)')
    .action(async () => {
      print(await call('GET', '/status'));
    });
  ctl
    .command('wait <condition>')
    .description("wait until a condition holds, e.g. 'lag(group=inventory) < 150'; exit 1 on timeout")
    .option('--timeout <duration>', 'give up after this long', '60s')
    .option('--interval <duration>', 'how often to check', '500ms')
    .action(async (condition: string, opts: { timeout: string; interval: string }) => {
      // A wait inside a drill cannot outlast the drill's time limit (at most 6 h).
      const timeoutMs = durationFlag('--timeout', opts.timeout, { max: durationCeilings.drill });
      const intervalMs = durationFlag('--interval', opts.interval);
      const deadline = Date.now() + timeoutMs;
      let last: { holds: boolean; failing: string[] } = { holds: false, failing: [] };
      while (Date.now() <= deadline) {
        last = (await call('GET', `/eval?rule=${encodeURIComponent(condition)}`)) as typeof last;
        if (last.holds) {
          context.stdout.write(`holds: ${condition}\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, intervalMs));
      }
      context.stdout.write(`timed out after ${opts.timeout}: ${last.failing.join('; ')}\n`);
      context.exitCode = ExitCode.failed;
    });
}

interface ExecRun {
  instanceId: string;
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  error?: string;
}

function describeRun(run: ExecRun): string {
  const how = run.error ?? (run.timedOut ? 'timed out' : `exit ${run.exitCode}`);
  const body = run.output ? `${run.output.replace(/\n?$/, '\n')}` : '';
  return `[${run.instanceId}] ${how}\n${body}`;
}

/** `key=value` pairs; numbers and booleans are typed, everything else stays text. */
export function parseSettings(pairs: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AgentdrillError('USAGE', `"${pair}" is not key=value`, { hint: 'write e.g. cacheTtlMs=2000' });
    const raw = pair.slice(eq + 1);
    patch[pair.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return patch;
}

function megabytesFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const mb = Number(value);
  // The ceiling is what a container engine on a large host could grant: 1 TiB.
  if (!(Number.isInteger(mb) && mb >= 16 && mb <= 1024 * 1024)) throw new AgentdrillError('USAGE', `${flag} "${value}" is not a size in MB`, { hint: `write a whole number of MB from 16, e.g. ${flag} 512` });
  return mb;
}

function durationFlag(flag: string, value: string, range: DurationRange = {}): number {
  const checked = checkDuration(value, range);
  if (!checked.ok) throw new AgentdrillError('USAGE', `${flag} ${checked.message}`, { hint: checked.hint });
  return checked.ms;
}

async function request(base: string | undefined, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  if (!base) {
    throw new AgentdrillError('CONTROL_UNREACHABLE', `no running drill to control: ${controlEnv} is not set`, {
      hint: `ctl acts on a running drill. Runbook steps get ${controlEnv} automatically; at a terminal, export the URL the drill prints at start`,
    });
  }
  let response: Response;
  try {
    response = await fetch(new URL(route, base), {
      method,
      // Who asks, for a game day's timeline; a runbook step's call is journaled as the step already.
      headers: {
        'content-type': 'application/json',
        [ctlByHeader]: encodeURIComponent(responderName(process.env)),
        ...(process.env[ctlOriginEnv] === 'step' ? { [ctlOriginHeader]: 'step' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new AgentdrillError('CONTROL_UNREACHABLE', `cannot reach the drill at ${base}`, {
      hint: 'the drill may have ended; check that it is still running',
      cause: e,
    });
  }
  const payload = (await response.json()) as { error?: { code: string; message: string; hint?: string } };
  if (payload.error) {
    throw new AgentdrillError(payload.error.code === 'USAGE' ? 'USAGE' : 'FLEET_FAILED', payload.error.message, { hint: payload.error.hint });
  }
  return payload;
}
