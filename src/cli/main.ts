import { Command, CommanderError } from 'commander';
import { AgentdrillError, displayText, formatProblem, isAgentdrillError } from '../core/errors.ts';
import { ExitCode, exitCodeForError } from '../core/exit-codes.ts';
import { packageVersion } from './version.ts';

/** Each command stores its exit code here; errors are thrown and caught once, below. */
export interface CommandContext {
  exitCode: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Register = (program: Command, context: CommandContext) => void;

/**
 * Each command's module, loaded only when needed: every `agentdrill ctl` a runbook step runs
 * counts in the drill's time-to-recover, and loading zod, the linter and the image builder for
 * the commands it does not run cost it about half its start-up.
 */
const commands: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run-command.ts')).registerRunCommand,
  ctl: async () => (await import('./ctl-command.ts')).registerCtlCommand,
  report: async () => (await import('./report-command.ts')).registerReportCommand,
  validate: async () => (await import('./validate-command.ts')).registerValidateCommand,
  export: async () => (await import('./export-command.ts')).registerExportCommand,
  images: async () => (await import('./images-command.ts')).registerImagesCommand,
  infra: async () => (await import('./infra-command.ts')).registerInfraCommand,
};

/** The command the user named, alone; all of them when none is named (help, a typo to suggest for). */
async function registrations(argv: readonly string[]): Promise<Register[]> {
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  const load = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]!] : Object.values(commands);
  return Promise.all(load.map((l) => l()));
}

export async function buildProgram(context: CommandContext, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('agentdrill')
    .description(
      'Chaos drills for AI-agent fleets on Apache Kafka: inject a real fault, run your runbook against it, ' +
        'and score time-to-detect and time-to-recover against your targets.',
    )
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.stdout.write(s),
      writeErr: (s) => context.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ agentdrill run scenarios/downstream-backlog.yaml          run one drill, print the verdict
  $ agentdrill run scenarios/downstream-backlog.yaml --json   one JSON object on stdout, for scripts
  $ agentdrill report reports/<drill>/journal.json            re-render a past drill's HTML report

Exit codes: 0 passed, 1 failed, 2 invalid input, 3 inconclusive, 4 harness error, 130 interrupted.`,
    );
  for (const register of await registrations(argv)) register(program, context);
  return program;
}

/** The CLI's single top-level catch: every failure becomes one message and a documented exit code. */
export async function main(
  argv: string[],
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  const context: CommandContext = { exitCode: ExitCode.passed, ...streams };
  try {
    await (await buildProgram(context, argv)).parseAsync(argv);
    return context.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      const benign = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return benign ? ExitCode.passed : ExitCode.invalidInput;
    }
    const error = isAgentdrillError(e)
      ? e
      : new AgentdrillError('INTERNAL', e instanceof Error ? e.message : String(e), {
          hint: 'this is a bug in agentdrill; the journal (if written) has the details',
        });
    context.stderr.write(formatError(error));
    // Scripts asked for JSON: they get the error as JSON on stdout too, not an empty stream.
    if (wantsJson(argv)) context.stdout.write(JSON.stringify({ error: errorJson(error) }) + '\n');
    return exitCodeForError(error.code);
  }
}

export function formatError(error: AgentdrillError): string {
  // Validators put every problem in `problems`; the headline is the message's first line.
  // Messages quote the user's input, so every part goes through displayText (formatProblem does).
  const headline = error.problems.length > 0 ? error.message.split('\n')[0] : error.message;
  const lines = [`agentdrill: ${displayText(headline ?? '')} [${error.code}]`];
  for (const p of error.problems) lines.push(`  ${formatProblem(p).replace(/\n/g, '\n  ')}`);
  if (error.hint && error.problems.length === 0) lines.push(`  hint: ${displayText(error.hint)}`);
  return lines.join('\n') + '\n';
}

/** `--json` (run, ctl) or `--format json` / `--format=json` (validate). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json') || argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');
}

function errorJson(error: AgentdrillError) {
  return { code: error.code, message: error.message, hint: error.hint, problems: error.problems };
}
