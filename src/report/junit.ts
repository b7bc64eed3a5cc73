import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Verdict } from '../core/exit-codes.ts';
import { formatSeconds } from '../score/format.ts';
import { escapeXml } from './svg.ts';

/** One scenario's outcome, as `agentdrill run --junit` reports it. */
export interface JunitResult {
  scenario: string;
  verdict: Verdict;
  /** The score's reasons: each names a missed target and its figures, or why it was inconclusive / an error. */
  reasons: readonly string[];
  ttdMs: number | null | undefined;
  ttrMs: number | null | undefined;
  targets: { detectMs: number; recoverMs: number };
  /** The whole drill, provision to teardown: CI dashboards chart it as the test's duration. */
  durationMs: number;
  /** Name/value pairs CI shows with the test: the agent versions drilled and the `--set` flags. */
  properties?: readonly { name: string; value: string }[];
  /** The responder's score as lines (report/responder-view.ts), shown in the testcase's body. */
  responder?: readonly string[];
}

/**
 * JUnit XML: `<testsuites>` around one `<testsuite name="agentdrill">`, one `<testcase>` per
 * scenario. Verdicts map as: failed → `<failure type="missed-target">`, error → `<error>`,
 * inconclusive → `<skipped>`. Inconclusive means the drill never tested the runbook (the baseline
 * was unhealthy, or the fault changed nothing), which is neither a pass nor a runbook failure;
 * `skipped` keeps it out of both counts while CI still sees it (and the exit code, 3, still gates).
 * Each testcase carries `<properties>` (as pytest and the Jenkins/GitLab readers take them) with
 * the release it drilled, so a failed gate names the version that failed it.
 */
export function renderJunit(results: readonly JunitResult[]): string {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const total = results.reduce((s, r) => s + r.durationMs, 0);
  const suiteAttrs = `name="agentdrill" tests="${results.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('inconclusive')}" time="${seconds(total)}"`;
  const cases = results.map(testcase).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${suiteAttrs}>\n  <testsuite ${suiteAttrs}>\n${cases}  </testsuite>\n</testsuites>\n`;
}

/** Writes the JUnit file (creating its directory) and returns its path. */
export async function writeJunit(file: string, results: readonly JunitResult[]): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderJunit(results), 'utf8');
  return file;
}

function testcase(r: JunitResult): string {
  const open = `    <testcase classname="agentdrill" name="${attr(r.scenario)}" time="${seconds(r.durationMs)}"`;
  const figures = [figure('time to detect', r.ttdMs, r.targets.detectMs), figure('time to recover', r.ttrMs, r.targets.recoverMs)].join('\n');
  const responder = r.responder?.length ? [`responder: ${r.responder[0]}`, ...r.responder.slice(1).map((l) => `  ${l}`)] : [];
  const body = [figures, ...responder, ...r.reasons.map((reason) => `- ${reason}`)].join('\n');
  const message = r.reasons.join('; ');
  let outcome = '';
  if (r.verdict === 'failed') outcome = `      <failure message="${attr(message || 'missed target')}" type="missed-target">${xml(body)}</failure>\n`;
  else if (r.verdict === 'error') outcome = `      <error message="${attr(message || 'harness error')}" type="harness-error">${xml(body)}</error>\n`;
  else if (r.verdict === 'inconclusive') outcome = `      <skipped message="${attr(`inconclusive: ${message}`)}"/>\n`;
  return `${open}>\n${properties(r.properties ?? [])}${outcome}      <system-out>${xml(body)}</system-out>\n    </testcase>\n`;
}

function properties(props: readonly { name: string; value: string }[]): string {
  if (props.length === 0) return '';
  const items = props.map((p) => `        <property name="${attr(p.name)}" value="${attr(p.value)}"/>\n`).join('');
  return `      <properties>\n${items}      </properties>\n`;
}

/** `agent.scorer.version` per agent (`unknown` when nothing says), then one `set` per `--set` flag. */
export function releaseProperties(release: { versions: Record<string, string | null>; overrides: readonly { path: string; value: string }[] } | undefined): { name: string; value: string }[] {
  if (!release) return [];
  return [
    ...Object.entries(release.versions).map(([agent, version]) => ({ name: `agent.${agent}.version`, value: version ?? 'unknown' })),
    ...release.overrides.map((o) => ({ name: 'set', value: `${o.path}=${o.value}` })),
  ];
}

function figure(label: string, ms: number | null | undefined, targetMs: number): string {
  const mark = ms === null || ms === undefined ? 'not measured' : ms <= targetMs ? 'met' : 'MISSED';
  return `${label}: ${ms === null || ms === undefined ? '—' : formatSeconds(ms)} (target ${formatSeconds(targetMs)}, ${mark})`;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * Escaped text that is also legal XML 1.0: step output carries ANSI escapes and other control
 * characters no XML parser accepts even as entities, so they become U+FFFD.
 */
const illegal = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xml(text: string): string {
  return escapeXml(text.replace(illegal, '\uFFFD'));
}

/** Attribute values: a parser turns a literal newline into a space, so keep it as a character reference. */
function attr(text: string): string {
  return xml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
