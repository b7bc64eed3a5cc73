import type { PhaseName, SectionKind } from './model.ts';

/** What a heading means: a section at H2, a phase at H4 (and at H2 on an alert page). */
export interface HeadingMeaning {
  section?: SectionKind;
  phase?: PhaseName;
  /** Recognised, even when it is neither (References, Prerequisites): not listed as unmapped. */
  known: boolean;
}

/**
 * Heading vocabulary, one table: teams title things differently, and one word can be a section
 * at H2 and a phase at H4 ("Mitigation"). Exact keys first (lower-case); then the loose patterns
 * below, because real pages say "Recovery Steps", "How to investigate" or "Escalation Criteria".
 */
const aliases: Record<string, { section?: SectionKind; phase?: PhaseName }> = {
  'service summary': { section: 'summary' },
  summary: { section: 'summary' },
  overview: { section: 'summary' },
  'service overview': { section: 'summary' },
  about: { section: 'summary' },
  description: { section: 'summary' },
  meaning: { section: 'summary' },
  impact: { section: 'summary' },
  health: { section: 'health' },
  'health checks': { section: 'health' },
  'health indicators': { section: 'health' },
  'golden signals': { section: 'health' },
  slos: { section: 'health' },
  'failure modes': { section: 'failure-modes' },
  'failure scenarios': { section: 'failure-modes' },
  'known failure modes': { section: 'failure-modes' },
  'known issues': { section: 'failure-modes' },
  playbooks: { section: 'failure-modes' },
  symptoms: { section: 'failure-modes', phase: 'detect' },
  detect: { phase: 'detect' },
  detection: { section: 'failure-modes', phase: 'detect' },
  alert: { phase: 'detect' },
  diagnose: { phase: 'diagnose' },
  diagnosis: { section: 'failure-modes', phase: 'diagnose' },
  troubleshooting: { section: 'failure-modes', phase: 'diagnose' },
  investigation: { section: 'failure-modes', phase: 'diagnose' },
  confirm: { phase: 'diagnose' },
  investigate: { phase: 'diagnose' },
  triage: { phase: 'diagnose' },
  respond: { phase: 'respond' },
  response: { phase: 'respond' },
  mitigate: { phase: 'respond' },
  mitigation: { section: 'failure-modes', phase: 'respond' },
  mitigations: { section: 'failure-modes', phase: 'respond' },
  remediate: { phase: 'respond' },
  remediation: { section: 'failure-modes', phase: 'respond' },
  resolution: { section: 'failure-modes', phase: 'respond' },
  fix: { phase: 'respond' },
  verify: { phase: 'verify' },
  verification: { section: 'failure-modes', phase: 'verify' },
  check: { phase: 'verify' },
  validate: { phase: 'verify' },
  escalate: { phase: 'escalate' },
  escalation: { section: 'escalation', phase: 'escalate' },
  'escalation path': { section: 'escalation' },
  'escalation policy': { section: 'escalation' },
  contacts: { section: 'escalation' },
  rollback: { section: 'rollback' },
  'roll back': { section: 'rollback' },
  'rollback plan': { section: 'rollback' },
  'change log': { section: 'changelog' },
  changelog: { section: 'changelog' },
  'revision history': { section: 'changelog' },
  history: { section: 'changelog' },
};

/**
 * Loose matches, in order: the first pattern that matches wins. Verification comes before
 * response ("Validate Recovery" is a check, not a fix), escalation before everything ("Escalation
 * Criteria"), and the section-only words last.
 */
const loose: { pattern: RegExp; section?: SectionKind; phase?: PhaseName }[] = [
  { pattern: /\bescalat|\bcontacts?\b|\bwho to (call|page|contact)\b/, section: 'escalation', phase: 'escalate' },
  { pattern: /\broll ?back|\brevert\b/, section: 'rollback' },
  { pattern: /\bchange ?log|\brevision history\b/, section: 'changelog' },
  { pattern: /^(service )?health\b|\bgolden signals\b|\bslos?\b|\bslis?\b|\bhealth (checks?|indicators|metrics)\b/, section: 'health' },
  { pattern: /\bfailure (modes?|scenarios?)\b|\bknown (issues|problems)\b|\bplaybooks?\b/, section: 'failure-modes' },
  { pattern: /\bverif|\bvalidat|\bconfirm(ing)? (the )?(recovery|resolution|fix)\b|\bpost-?(mitigation|recovery)\b/, section: 'failure-modes', phase: 'verify' },
  {
    pattern: /\bmitigat|\bremediat|\bresol(ution|ve|ving)\b|\brecover|\bfix(es|ing)?\b|\bworkarounds?\b|\bimmediate (actions?|steps?|response)\b|\brespon(se|d)\b|\brestor(e|ing|ation)\b|\bactions?\b|\bprocedures?\b/,
    section: 'failure-modes',
    phase: 'respond',
  },
  { pattern: /\bdiagnos|\btroubleshoot|\binvestigat|\btriage\b|\bdebug|\broot causes?\b|\bcauses?\b|\bidentify|\bevidence\b|\bchecks?\b|\bquer(y|ies)\b|\bhow to (see|check|find)\b/, section: 'failure-modes', phase: 'diagnose' },
  { pattern: /\bsymptoms?\b|\bdetect|\bsigns?\b|\balerts?\b|\bwhen to\b|\btriggers?\b/, section: 'failure-modes', phase: 'detect' },
  { pattern: /\bsummary\b|\boverview\b|\bmeaning\b|\bimpact\b|\babout\b|\bdescription\b|\bpurpose\b|\bbackground\b|\bintroduction\b|\bwhat (is|it means)\b|\bseverity\b|\brisk\b/, section: 'summary' },
];

/** Headings every kind of page may have that lint has no use for: recognised, not unmapped. */
const informational =
  /\bbefore you (start|begin)\b|\breferences?\b|\bsee also\b|\brelated\b|\blinks?\b|\bpre-?requisites?\b|\bnotes?\b|\bfaq\b|\bappendix\b|\bmetadata\b|\bowners?(hip)?\b|\bfollow-?ups?\b|\bprevention\b|\bpost-?mortem\b|\breading\b|\bresources\b|\bdashboards?\b|\bscope\b|\btemplates?\b|\barchitecture\b|\bconfiguration\b|\bglossary\b|\bcontents\b|\bdocumentation\b|\bmental model\b|\bautomation\b|\bcommunication\b|\bquick reference\b|\btools?\b|\baccess\b|\bcontext\b|\blifecycle\b|\bstates?\b|\btransitions?\b|\bthoughts\b|\bexecution\b|\bpreparation\b|\bscal(e|ing)\b/;

/** The words of a heading key without numbering ("Step 2:", "1."), emoji or punctuation. */
export function looseKey(key: string): string {
  return key
    .replace(/^\s*(step\s+)?\d+[a-z]?\s*[.):-]?\s*/i, '')
    .replace(/[^\p{L}\p{N}\s'-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function headingMeaning(key: string): HeadingMeaning {
  const exact = aliases[key];
  if (exact) return { ...exact, known: true };
  const words = looseKey(key);
  const again = aliases[words];
  if (again) return { ...again, known: true };
  for (const entry of loose) {
    if (entry.pattern.test(words)) return { section: entry.section, phase: entry.phase, known: true };
  }
  return { known: informational.test(words) };
}
