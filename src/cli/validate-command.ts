import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { AgentdrillError, displayText } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { lintRules } from '../runbook/lint/index.ts';
import { lintProfiles, type Finding, type Runbook } from '../runbook/model.ts';
import type { Scenario } from '../scenario/index.ts';
import type { CommandContext } from './main.ts';

const validateFlags = z.strictObject({
  scenario: z.string().min(1).optional(),
  /** `--rules FILE...`: the team's Prometheus rule files, checked by promtool and against the runbooks. */
  rules: z.array(z.string().min(1)).optional(),
  format: z.enum(['text', 'json'], { error: 'expected "text" or "json"' }).default('text'),
  profile: z.enum(lintProfiles, { error: 'expected "oncall" or "drill"' }).default('oncall'),
});

export function registerValidateCommand(program: Command, context: CommandContext): void {
  program
    .command('validate [files...]')
    .description('lint runbooks, alert pages and guides as on-call reads them at 3 a.m. (destructive commands with no guard, TODO steps, placeholders, unreachable contacts, missing sections), and check fleet files')
    .option('--scenario <file>', "also check agent, group, topic and metric names against this scenario's fleet")
    .option('--format <format>', 'text (file:line:col severity rule message) or json', 'text')
    .option('--rules <files...>', "Prometheus rule files: promtool check rules, each runbook alert they should define, and (with --scenario) whether for: plus the intervals already miss the detect target")
    .option('--profile <profile>', 'oncall (can a person run this page at 3 a.m.?) or drill (what agentdrill run needs on top)', 'oncall')
    .addHelpText(
      'after',
      `
Files default to runbooks/*.md (with --scenario and no files: the scenario's runbook).
A .yaml/.yml file is checked as a fleet file (docs/fleet-format.md): every declared name, every
\${...} reference and every command's program; a bad one exits 2 with each problem at its line.
Each page is read as a service runbook (six sections), an alert page (one alert: Meaning, Impact,
Diagnosis, Mitigation) or a guide; the text output says which, and lists headings it did not map.
--profile drill adds the drill's rules (an alert rule in the grammar, step timeouts); agentdrill run
always validates with it.
Exit codes: 0 no error-level finding, 1 at least one, 2 invalid input (bad flag, unreadable file,
a runbook over the Markdown limits in docs/runbook-format.md).
Rules: ${[...lintRules.keys()].join(', ')}; see docs/runbook-format.md.

Examples:
  $ agentdrill validate
  $ agentdrill validate docs/runbooks/*.md --profile oncall
  $ agentdrill validate runbooks/order-pipeline.md --scenario scenarios/downstream-backlog.yaml --format json
  $ agentdrill validate runbooks/order-pipeline.md --rules monitoring/order-pipeline.rules.yml --scenario my-drill.yaml`,
    )
    .action(async (files: string[], rawFlags: unknown) => {
      const parsed = validateFlags.safeParse(rawFlags);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
        throw new AgentdrillError('USAGE', `invalid flags: ${problems.join('; ')}`, { hint: 'see agentdrill validate --help' });
      }
      context.exitCode = await validate(files, parsed.data, context);
    });
}

async function validate(files: string[], flags: z.output<typeof validateFlags>, context: CommandContext): Promise<number> {
  // Loaded on use: every `agentdrill` start (each `ctl` a runbook step runs) would pay for them.
  // The scenario loader (zod schemas, fleet files) costs a few hundred ms: only with --scenario.
  const [{ validateRunbookFile }, scenario] = await Promise.all([import('../runbook/validate.ts'), flags.scenario ? import('../scenario/index.ts').then((m) => m.loadScenario(flags.scenario!)) : undefined]);
  const fleetFiles = files.filter((f) => /\.ya?ml$/i.test(f));
  const runbookFiles = files.filter((f) => !fleetFiles.includes(f));
  const fleets = await checkFleetFiles(fleetFiles);
  const targets = runbookFiles.length > 0 || fleetFiles.length > 0 ? runbookFiles : await defaultFiles(scenario);
  const findings: Finding[] = [];
  const pages: PageSummary[] = [];
  const runbooks = [];
  for (const file of targets) {
    const result = await validateRunbookFile(file, { scenario, profile: flags.profile });
    runbooks.push(result.parsed.runbook);
    findings.push(...result.findings.map((f) => ({ ...f, file: shown(f.file) })));
    pages.push(pageSummary(shown(file), result.parsed.runbook));
  }
  if (flags.rules) findings.push(...(await ruleFindings(flags.rules, runbooks, scenario)).map((f) => ({ ...f, file: shown(f.file) })));
  if (flags.format === 'json') {
    const runbooks = pages.map(({ file, kind, unmapped }) => ({ file, kind, unmappedHeadings: unmapped }));
    context.stdout.write(JSON.stringify({ ...(fleets.length ? { fleets } : {}), profile: flags.profile, runbooks, findings: findings.map(({ file, line, column, rule, severity, message, hint }) => ({ file, line, column, rule, severity, message, hint })) }, null, 2) + '\n');
  } else {
    // Findings quote the runbook's text, which may hold terminal escape sequences.
    for (const page of pages) context.stdout.write(`${displayText(pageLine(page, flags.profile))}\n`);
    for (const f of findings) context.stdout.write(`${displayText(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)}\n    hint: ${displayText(f.hint)}\n`);
    for (const f of fleets) context.stdout.write(`${shown(f.file)}: fleet "${f.name}" ok: ${f.agents.length} agent(s) (${f.agents.join(', ')}), ${f.topics} topic(s), ${f.dependencies} dependenc${f.dependencies === 1 ? 'y' : 'ies'}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (targets.length > 0 || fleets.length === 0) context.stdout.write(`${targets.length} runbook(s): ${errors} error(s), ${findings.length - errors} warning(s)\n`);
  }
  return findings.some((f) => f.severity === 'error') ? ExitCode.failed : ExitCode.passed;
}

/** The rule files through promtool, and against the runbooks' alerts and the scenario's target. */
async function ruleFindings(files: string[], runbooks: Runbook[], scenario: Scenario | undefined): Promise<Finding[]> {
  const { checkPrometheusRules } = await import('../detect/prometheus/check-rules.ts');
  const p = scenario?.detection?.prometheus;
  // Without the scenario's own intervals, Prometheus' and Alertmanager's defaults: what a team gets unless it set them.
  const timing = scenario && {
    scenarioFile: shown(scenario.file),
    detectMs: scenario.targets.detectMs,
    scrapeIntervalMs: p?.scrapeIntervalMs ?? 60_000,
    evaluationIntervalMs: p?.evaluationIntervalMs ?? 60_000,
    groupWaitMs: p?.groupWaitMs ?? 30_000,
    fromScenario: p !== undefined,
    alert: p?.alert,
  };
  return checkPrometheusRules({ ruleFiles: files.map((f) => path.resolve(f)), runbooks, ...(timing ? { timing } : {}) });
}

/** Fleet files are checked whole (FLEET_INVALID, exit 2, on the first bad one); the summary of each good one. */
async function checkFleetFiles(files: string[]): Promise<{ file: string; name: string; agents: string[]; topics: number; dependencies: number }[]> {
  if (files.length === 0) return [];
  const { loadFleetFile } = await import('../fleet/definition/load.ts');
  const out = [];
  for (const file of files) {
    const { fleet } = await loadFleetFile(file);
    out.push({ file, name: fleet.name, agents: Object.keys(fleet.agents), topics: Object.keys(fleet.topics).length, dependencies: Object.keys(fleet.dependencies).length });
  }
  return out;
}

async function defaultFiles(scenario: Scenario | undefined): Promise<string[]> {
  if (scenario) return [scenario.runbook.file];
  const dir = path.resolve('runbooks');
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => n.endsWith('.md')).sort().map((n) => path.join('runbooks', n));
  if (files.length === 0) throw new AgentdrillError('USAGE', `no runbooks to validate: ${dir} has no *.md`, { hint: 'pass runbook files: agentdrill validate path/to/runbook.md' });
  return files;
}

interface PageSummary {
  file: string;
  kind: Runbook['kind'];
  unmapped: { title: string; line: number }[];
}

function pageSummary(file: string, runbook: Runbook): PageSummary {
  return { file, kind: runbook.kind, unmapped: runbook.page.unmapped.map((h) => ({ title: h.text, line: h.line })) };
}

const kindNames: Record<Runbook['kind'], string> = { service: 'a service runbook', alert: 'an alert page', guide: 'a guide' };

/** "runbooks/x.md: read as an alert page (oncall profile); headings not mapped: "Notes" (12)". */
function pageLine(page: PageSummary, profile: string): string {
  const unmapped = page.unmapped.length ? `; headings not mapped: ${page.unmapped.map((h) => `"${h.title}" (line ${h.line})`).join(', ')}` : '';
  return `${page.file}: read as ${kindNames[page.kind]} (${profile} profile)${unmapped}`;
}

/** Paths as the user would type them: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
