import type { Heading, RootContent } from 'mdast';
import { envBindings, extractFrontMatter } from './front-matter.ts';
import { checkRunbookSize, parseMarkdown } from './parse-markdown.ts';
import type { FailureMode, Finding, ParsedRunbook, PhaseName, Runbook, SectionKind } from './model.ts';
import { headingParts, phaseHeadingNames, phaseOf, sectionKind, slug } from './parse-headings.ts';
import { addPhase, hasSubheading, newFailureMode } from './parse-failure-mode.ts';
import { unclosedFences } from './parse-fences.ts';
import { runbookKind } from './parse-kind.ts';
import { linkTargets } from './parse-nodes.ts';
import { pageContent } from './parse-page.ts';
import { at, shellLangs, type LocalFinding } from './parse-phase.ts';
import { escalationSection, healthMetrics, rollbackSection } from './parse-sections.ts';

interface OpenSection {
  kind: SectionKind;
  heading: Heading;
  nodes: RootContent[];
}

/**
 * Markdown runbook → model. Structure comes from the mdast tree (H2 sections, H3 failure modes
 * under "Failure modes", H4 phases), never from line patterns. Whatever is odd becomes a finding
 * with a line, so `validate` can show all of it at once; only a text over the Markdown limits
 * (src/runbook/limits.ts) throws RUNBOOK_INVALID, before the parser sees it.
 */
export function parseRunbook(source: string, file: string): ParsedRunbook {
  // Editors on Windows save a BOM; it would hide the front matter's leading ---.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  // Size first: the front matter's YAML is parsed before the Markdown's own checks run.
  checkRunbookSize(text, file);
  const front = extractFrontMatter(text);
  const bindings = envBindings(front.data, text);
  const findings: LocalFinding[] = [...front.findings, ...bindings.findings];
  const root = parseMarkdown(front.body, file);
  const unclosed = unclosedFences(root, front.body.split('\n'));
  findings.push(...unclosed.findings);
  const kind = runbookKind(root.children, front.data);
  const runbook: Runbook = {
    file,
    kind,
    page: pageContent(root.children, unclosed.nodes),
    title: undefined,
    frontMatter: front.data,
    env: bindings.env,
    sections: [],
    failureModes: [],
    health: [],
    escalation: undefined,
    rollback: undefined,
    links: linkTargets(root),
  };

  let section: OpenSection | undefined;
  let mode: FailureMode | undefined;
  let phase: { name: PhaseName; nodes: RootContent[] } | undefined;
  // One-alert pages: the page itself is the failure mode, its H2s (Diagnosis, Mitigation) the phases.
  let pageMode: FailureMode | undefined;
  let inPagePhase = false;
  let looseSteps: RootContent[] = [];

  const closePhase = () => {
    if (mode && phase) addPhase(mode, phase.name, phase.nodes, findings);
    phase = undefined;
  };
  const closeMode = () => {
    closePhase();
    for (const node of looseSteps) {
      findings.push(at(node, 'step-outside-phase', 'warning', `this ${kindOf(node)} block is not under a phase heading, so it is not run`, `put it under "#### ${phaseHeadingNames.join('", "#### ')}"`));
    }
    looseSteps = [];
    mode = undefined;
    inPagePhase = false;
  };
  const closeSection = () => {
    closeMode();
    if (section) finishSection(runbook, section, findings);
    section = undefined;
  };

  root.children.forEach((node, index) => {
    // An unclosed fence swallowed what follows it: running that as a step would run prose.
    if (node.type === 'code' && unclosed.nodes.has(node)) return;
    if (node.type !== 'heading' || node.depth > 4 || (inPagePhase && node.depth > 2)) {
      section?.nodes.push(node);
      if (phase) phase.nodes.push(node);
      else if (mode && node.type === 'code' && isStepFence(node.lang)) looseSteps.push(node);
      return;
    }
    const parts = headingParts(node);
    const line = node.position?.start.line ?? 1;
    if (node.depth === 1) {
      closeSection();
      runbook.title ??= parts.title;
    } else if (node.depth === 2) {
      closeSection();
      section = { kind: sectionKind(parts.key), heading: node, nodes: [] };
      runbook.sections.push({ title: parts.title, kind: section.kind, line });
      const pagePhase = phaseOf(parts.key);
      // On an alert page every "## Diagnosis" or "## Mitigation" is a phase of the one response,
      // its "###" options of it; elsewhere only when no "###" failure modes follow.
      if (section.kind === 'failure-modes' && pagePhase && (runbook.kind === 'alert' || !hasSubheading(root.children, index))) {
        pageMode ??= newFailureMode(runbook, slug(runbook.title ?? '') || 'runbook', runbook.title ?? parts.title, line, true, findings, node);
        mode = pageMode;
        inPagePhase = mode !== undefined;
        openPhase(pagePhase, parts.estimateMs, line);
      }
    } else if (node.depth === 3) {
      closeMode();
      section?.nodes.push(node);
      if (section?.kind === 'failure-modes') {
        const title = parts.bareTitle || parts.title;
        mode = newFailureMode(runbook, (parts.explicitId ?? slug(title)).toLowerCase(), title, line, false, findings, node);
        // Under "## Troubleshooting" or "## Mitigation", text before any H4 belongs to that phase.
        const sectionPhase = phaseOf(headingParts(section.heading).key);
        if (mode && sectionPhase) phase = { name: sectionPhase, nodes: [] };
      }
    } else {
      section?.nodes.push(node);
      if (!mode) return;
      closePhase();
      const name = phaseOf(parts.key);
      if (name) openPhase(name, parts.estimateMs, line);
      else {
        findings.push(at(node, 'unknown-phase', 'warning', `"${parts.title}" is not a phase; its content is not run`, `use one of ${phaseHeadingNames.join(', ')}`));
        runbook.page.unmapped.push({ text: parts.title, line, column: 1 });
      }
    }
  });
  closeSection();
  runbook.page.unmapped.sort((a, b) => a.line - b.line);
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { runbook, findings: findings.map((f): Finding => ({ file, ...f })) };

  function openPhase(name: PhaseName, estimateMs: number | undefined, line: number): void {
    if (!mode) return;
    phase = { name, nodes: [] };
    mode.headings[name] ??= line;
    if (estimateMs !== undefined) mode.estimatesMs[name] = estimateMs;
  }
}

function finishSection(runbook: Runbook, section: OpenSection, findings: LocalFinding[]): void {
  const line = section.heading.position?.start.line ?? 1;
  if (section.kind === 'health') runbook.health.push(...healthMetrics(section.nodes));
  else if (section.kind === 'escalation') runbook.escalation ??= escalationSection(line, section.nodes);
  else if (section.kind === 'rollback') runbook.rollback ??= rollbackSection(line, headingParts(section.heading).estimateMs, section.nodes, findings);
}

function isStepFence(lang: string | null | undefined): boolean {
  const word = (lang ?? '').split('{')[0]!.toLowerCase();
  return word === 'alert' || word === 'check' || shellLangs.includes(word);
}

function kindOf(node: RootContent): string {
  return node.type === 'code' ? (node.lang ?? 'code').split('{')[0]! : node.type;
}
