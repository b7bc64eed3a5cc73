import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { orderPipelineStepNames } from '../helpers/order-pipeline.ts';
import { drillCommands, lintRunbook, type LintContext } from '../../src/runbook/lint/index.ts';
import type { LintProfile } from '../../src/runbook/model.ts';
import { parseRunbook } from '../../src/runbook/parse.ts';

/**
 * The corpus: pages in the layouts teams write (test/fixtures/runbooks/corpus/manifest.yaml lists
 * each page's planted defects and its traps). Validated in the on-call profile, every page gives
 * exactly its planted findings, each at its line, and nothing on a trap.
 */
const dir = path.join(import.meta.dirname, '..', 'fixtures', 'runbooks', 'corpus');

interface Manifest {
  pages: { file: string; kind: string; defects: { line: number; rule: string; text: string }[]; traps: { line: number; text: string; why: string }[] }[];
}

const manifest = parse(readFileSync(path.join(dir, 'manifest.yaml'), 'utf8')) as Manifest;

/** This machine as the test pretends it is: a few everyday tools, none of the cluster CLIs. */
const machine = new Set(['curl', 'jq', 'grep', 'awk', 'sed', 'sort', 'head', 'tail', 'cat', 'ls', 'sleep', 'ssh', 'df', 'du', 'find', 'rm', 'pgrep', 'git', 'base64', 'date', 'sudo']);

/** The order pipeline's step names, as the corpus was written against. */
const bound = new Set(orderPipelineStepNames());

function context(profile: LintProfile): LintContext {
  return { profile, baseDir: dir, isBound: (name) => bound.has(name), commandExists: (name) => machine.has(name) || drillCommands.includes(name), fileExists: () => false, fleet: undefined };
}

function lintPage(file: string, profile: LintProfile) {
  const parsed = parseRunbook(readFileSync(path.join(dir, file), 'utf8'), path.join(dir, file));
  return { runbook: parsed.runbook, findings: lintRunbook(parsed, context(profile)) };
}

describe('the runbook corpus (on-call profile)', () => {
  it('has at least 20 pages of every kind, each planted defect and trap on the line the manifest says', () => {
    expect(manifest.pages.length).toBeGreaterThanOrEqual(20);
    expect(new Set(manifest.pages.map((p) => p.kind))).toEqual(new Set(['alert', 'service', 'guide']));
    for (const page of manifest.pages) {
      const lines = readFileSync(path.join(dir, page.file), 'utf8').split('\n');
      for (const spot of [...page.defects, ...page.traps]) expect(lines[spot.line - 1], `${page.file}:${spot.line}`).toContain(spot.text);
    }
  });

  for (const page of manifest.pages) {
    it(`${page.file}: read as ${page.kind}, exactly its planted findings, none on its traps`, () => {
      const { runbook, findings } = lintPage(page.file, 'oncall');
      expect(runbook.kind).toBe(page.kind);
      const found = findings.map((f) => `${f.line} ${f.rule}`).sort();
      expect(found, findings.map((f) => `${f.line} ${f.rule} ${f.message}`).join('\n')).toEqual(page.defects.map((d) => `${d.line} ${d.rule}`).sort());
      for (const trap of page.traps) expect(findings.filter((f) => f.line === trap.line), trap.why).toEqual([]);
    });
  }

  it('lists the headings it did not map, and still reads their blocks', () => {
    const { runbook, findings } = lintPage('alert-disk-pressure.md', 'oncall');
    expect(runbook.page.unmapped.map((h) => h.text)).toEqual(['Things we learned']);
    expect(findings.map((f) => f.rule)).toContain('destructive-unguarded');
  });

  it('never crashes in the drill profile either, and finds at least what on-call finds', () => {
    for (const page of manifest.pages) {
      const oncall = lintPage(page.file, 'oncall').findings;
      const drill = lintPage(page.file, 'drill').findings;
      // The drill may say it in its own words (an empty Mitigation is failure-mode-incomplete there).
      for (const f of oncall.filter((x) => x.rule !== 'command-not-found')) expect(drill.some((d) => d.line === f.line), `${page.file}:${f.line} ${f.rule}`).toBe(true);
    }
  });
});
