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
import { checkFleetFiles, checkScenarioFiles, sortYamlFiles, type ScenarioSummary } from './validate-yaml.ts';

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
    .description('lint runbooks, alert pages and guides as on-call reads them at 3 a.m. (destructive commands with no guard, TODO steps, placeholders, unreachable contacts, missing sections), and check scenarios and fleet files')
    .option('--scenario <file>', "also check agent, group, topic and metric names against this scenario's fleet")
    .option('--format <format>', 'text (file:line:col severity rule message) or json', 'text')
    .option('--rules <files...>', "Prometheus rule files: promtool check rules, each runbook alert they should define, and (with --scenario) whether for: plus the intervals already miss the detect target")
    .option('--profile <profile>', 'oncall (can a person run this page at 3 a.m.?) or drill (what agentdrill run needs on top)', 'oncall')
    .addHelpText(
      'after',
      `
Files default to runbooks/*.md (with --scenario and no files: the scenario's runbook).
A .yaml/.yml file with fault:, runbook: or fleet: at its top level is checked as a scenario, as
\`agentdrill run\` checks it before starting anything: the scenario, its fleet file, the failure mode
it names, and that runbook with --profile drill against its fleet. Any other .yaml/.yml is checked
as a fleet file (docs/fleet-format.md): every declared name, every \${...} reference and every
command's program. A bad scenario or fleet file exits 2 with each problem at its line.
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
  $ agentdrill validate scenarios/*.yaml
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
  const yamlFiles = files.filter((f) => /\.ya?ml$/i.test(f));
  const runbookFiles = files.filter((f) => !yamlFiles.includes(f));
  const sorted = await sortYamlFiles(yamlFiles);
  const fleets = await checkFleetFiles(sorted.fleets);
  const scenarios = await checkScenarioFiles(sorted.scenarios);
  const targets = runbookFiles.length > 0 || yamlFiles.length > 0 ? runbookFiles : await defaultFiles(scenario);
  const findings: Finding[] = [];
  const pages: PageSummary[] = [];
  const runbooks = [];
  // A scenario's runbook is linted as the drill will run it: drill profile, against its own fleet.
  for (const checked of scenarios) {
    runbooks.push(checked.runbook.parsed.runbook);
    findings.push(...checked.runbook.findings.map((f) => ({ ...f, file: shown(f.file) })));
    pages.push(pageSummary(shown(checked.runbook.file), checked.runbook.parsed.runbook, 'drill'));
  }
  for (const file of targets) {
    const result = await validateRunbookFile(file, { scenario, profile: flags.profile });
    runbooks.push(result.parsed.runbook);
    findings.push(...result.findings.map((f) => ({ ...f, file: shown(f.file) })));
    pages.push(pageSummary(shown(file), result.parsed.runbook, flags.profile));
  }
  dedupe(pages, (p) => `${p.file}\0${p.profile}`);
  // Scenarios sharing a runbook lint it once each: the same finding is said once.
  dedupe(findings, (f) => `${f.file}\0${f.line}\0${f.column}\0${f.rule}\0${f.message}`);
  if (flags.rules) findings.push(...(await ruleFindings(flags.rules, runbooks, scenario)).map((f) => ({ ...f, file: shown(f.file) })));
  if (flags.format === 'json') {
    const runbooks = pages.map(({ file, kind, profile, unmapped }) => ({ file, kind, profile, unmappedHeadings: unmapped }));
    const scenarioList = scenarios.map((c) => shownScenario(c.summary));
    context.stdout.write(JSON.stringify({ ...(scenarioList.length ? { scenarios: scenarioList } : {}), ...(fleets.length ? { fleets } : {}), profile: flags.profile, runbooks, findings: findings.map(({ file, line, column, rule, severity, message, hint }) => ({ file, line, column, rule, severity, message, hint })) }, null, 2) + '\n');
  } else {
    // Findings quote the runbook's text, which may hold terminal escape sequences.
    for (const c of scenarios) context.stdout.write(`${displayText(scenarioLine(shownScenario(c.summary)))}\n`);
    for (const page of pages) context.stdout.write(`${displayText(pageLine(page))}\n`);
    for (const f of findings) context.stdout.write(`${displayText(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)}\n    hint: ${displayText(f.hint)}\n`);
    for (const f of fleets) context.stdout.write(`${shown(f.file)}: fleet "${f.name}" ok: ${f.agents.length} agent(s) (${f.agents.join(', ')}), ${f.topics} topic(s), ${f.dependencies} dependenc${f.dependencies === 1 ? 'y' : 'ies'}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (pages.length > 0 || fleets.length === 0) context.stdout.write(`${pages.length} runbook(s): ${errors} error(s), ${findings.length - errors} warning(s)\n`);
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
  profile: string;
  unmapped: { title: string; line: number }[];
}

function pageSummary(file: string, runbook: Runbook, profile: string): PageSummary {
  return { file, kind: runbook.kind, profile, unmapped: runbook.page.unmapped.map((h) => ({ title: h.text, line: h.line })) };
}

function shownScenario(s: ScenarioSummary): ScenarioSummary {
  return { ...s, file: shown(s.file), fleet: shown(s.fleet), runbook: shown(s.runbook) };
}

/** "scenarios/x.yaml: scenario "x": kill-consumer on local, fleet ..., runbook ...#mode". */
function scenarioLine(s: ScenarioSummary): string {
  return `${s.file}: scenario "${s.name}": ${s.fault} on ${s.provider}, fleet ${s.fleet}, runbook ${s.runbook}#${s.failureMode}`;
}

const kindNames: Record<Runbook['kind'], string> = { service: 'a service runbook', alert: 'an alert page', guide: 'a guide' };

/** "runbooks/x.md: read as an alert page (oncall profile); headings not mapped: "Notes" (12)". */
function pageLine(page: PageSummary): string {
  const unmapped = page.unmapped.length ? `; headings not mapped: ${page.unmapped.map((h) => `"${h.title}" (line ${h.line})`).join(', ')}` : '';
  return `${page.file}: read as ${kindNames[page.kind]} (${page.profile} profile)${unmapped}`;
}

function dedupe<T>(items: T[], key: (item: T) => string): void {
  const seen = new Set<string>();
  const kept = items.filter((item) => !seen.has(key(item)) && Boolean(seen.add(key(item))));
  items.splice(0, items.length, ...kept);
}

/** Paths as the user would type them: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
