import type { Located, PageBlock, Runbook } from '../model.ts';
import { allBlocks } from './blocks.ts';
import { effectiveWords, scanShell, type ShellScan, type ShellWord } from './shell.ts';

/** Shell text a person may paste, from anywhere on the page: a fenced block or a command in prose. */
export interface PageShell {
  text: string;
  /** The text with `<fill me in>` and `{{ x }}` blanked, as the shell scan saw it. */
  masked: string;
  inline: boolean;
  scan: ShellScan;
  where: string;
  /** Prose, headings and list items around it: where a confirmation is written. */
  context: string;
  /** Its own sentence, item and heading: where a condition that guards it is written. */
  near: string;
  /** A step `agentdrill run` executes (a phase or the rollback), held to the drill's rules there. */
  drillStep: boolean;
  /** The fence's `guard` attribute, when it has one. */
  guard: unknown;
  block: PageBlock | undefined;
  /** Whether line `n` of `text` is typed in another machine or container. */
  remote(line: number): boolean;
  position(word: { line: number; column: number }): { line: number; column: number };
}

/** Scanned once per runbook and lint context (the rules share it); the context decides what inline code is a command. */
const cache = new WeakMap<Runbook, { exists: (name: string) => boolean; shells: PageShell[] }>();

/** `<pod name>`, `<from the alert>`, `{{ .run_id }}`: blanks a person fills in, not shell syntax. */
export const placeholderPattern = /<[A-Za-z][^<>\n]*?[^\s<>]>|<[A-Za-z]>|\{\{[^}\n]*\}\}/g;

export function maskPlaceholders(text: string): string {
  return text.replace(placeholderPattern, (m) => '_'.repeat(m.length));
}

/** Every shell text of the page. */
export function pageShells(runbook: Runbook, commandExists: (name: string) => boolean): PageShell[] {
  const cached = cache.get(runbook);
  if (cached?.exists === commandExists) return cached.shells;
  // A drill step keeps the drill's name for it ("backlog › respond") in messages.
  const steps = new Map(allBlocks(runbook).flatMap(({ block, where }) => (block.manual ? [] : [[block.line, where] as const])));
  const out: PageShell[] = [];
  for (const page of runbook.page.blocks) {
    const { block } = page;
    if (!block.command) continue;
    const masked = maskPlaceholders(block.command);
    out.push({
      text: block.command,
      masked,
      inline: false,
      scan: scanShell(masked),
      where: steps.get(block.line) ?? page.where,
      context: page.context,
      near: page.near,
      drillStep: steps.has(block.line),
      guard: block.attributes.guard,
      block: page,
      remote: (line) => page.remote[line] ?? false,
      position: (w) => {
        const origin = block.sourceMap[w.line];
        return origin ? { line: origin.line, column: origin.column + w.column } : { line: block.line, column: 1 };
      },
    });
  }
  for (const prose of runbook.page.prose) {
    for (const code of prose.inline) {
      const masked = maskPlaceholders(code.text);
      const scan = scanShell(masked);
      if (!looksLikeCommand(scan, commandExists) && !usesBlanks(scan, masked !== code.text)) continue;
      out.push({ text: code.text, masked, inline: true, scan, where: prose.where, context: `${prose.before}\n${prose.text}`, near: prose.text, drillStep: false, guard: undefined, block: undefined, remote: () => false, position: (w) => inlinePosition(code, w) });
    }
  }
  cache.set(runbook, { exists: commandExists, shells: out });
  return out;
}

/** `kubectl logs $POD`: a lower-case word and a variable or a blank to fill in is a command too. */
function usesBlanks(scan: ShellScan, hasPlaceholder: boolean): boolean {
  const words = scan.commands[0]?.words ?? [];
  return words.length >= 2 && /^[a-z][\w.-]*$/.test(words[0]!.text) && (hasPlaceholder || scan.variables.length > 0);
}

/** Inline code sits after its opening backtick. */
function inlinePosition(code: Located, w: { line: number; column: number }): { line: number; column: number } {
  return w.line === 0 ? { line: code.line, column: code.column + 1 + w.column } : { line: code.line + w.line, column: w.column + 1 };
}

/** Two words or more, and the first is a known command or a script path, or flags follow. */
export function looksLikeCommand(scan: ShellScan, exists: (name: string) => boolean): boolean {
  const first = scan.commands[0];
  const words = first ? effectiveWords(first.words).map((w) => w.text) : [];
  if (words.length < 2) return false;
  const name = words[0]!;
  return /^\.{0,2}\//.test(name) || (/^[a-z][\w.-]*$/.test(name) && (exists(name) || words.slice(1).some((w) => /^--?[a-z]/i.test(w))));
}

export function wordTexts(words: readonly ShellWord[]): string[] {
  return words.map((w) => w.text);
}
