import type { Block, FailureMode, Located, PhaseName, Runbook } from '../model.ts';
import { scanShell, type ShellScan, type ShellWord } from './shell.ts';

/** A block with where it sits, for messages ("downstream-backlog › respond"). */
export interface PlacedBlock {
  block: Block;
  where: string;
  mode: FailureMode | undefined;
  phase: PhaseName | undefined;
}

export function allBlocks(runbook: Runbook): PlacedBlock[] {
  const out: PlacedBlock[] = [];
  for (const mode of runbook.failureModes) {
    for (const steps of Object.values(mode.phases)) {
      for (const block of steps) out.push({ block, where: `${mode.id} › ${block.phase}`, mode, phase: block.phase });
    }
  }
  for (const block of runbook.rollback?.blocks ?? []) out.push({ block, where: 'rollback', mode: undefined, phase: undefined });
  return out;
}

/** Shell text to lint, from a fenced step or an inline code span, with a way back to the file. */
export interface ShellSource {
  placed: PlacedBlock;
  text: string;
  inline: boolean;
  scan: ShellScan;
  position(word: { line: number; column: number }): { line: number; column: number };
}

/** Every shell text: fenced commands (not generated `check` commands) and inline code of manual steps. */
export function shellSources(runbook: Runbook): ShellSource[] {
  const out: ShellSource[] = [];
  for (const placed of allBlocks(runbook)) {
    const { block } = placed;
    if (block.command !== undefined && block.lang !== 'check') {
      out.push({ placed, text: block.command, inline: false, scan: scanShell(block.command), position: (w) => blockPosition(block, w) });
    }
    for (const code of block.inline) {
      out.push({ placed, text: code.text, inline: true, scan: scanShell(code.text), position: (w) => inlinePosition(code, w) });
    }
  }
  return out;
}

function blockPosition(block: Block, w: { line: number; column: number }): { line: number; column: number } {
  const origin = block.sourceMap[w.line];
  return origin ? { line: origin.line, column: origin.column + w.column } : { line: block.line, column: 1 };
}

/** Inline code sits after its opening backtick. */
function inlinePosition(code: Located, w: { line: number; column: number }): { line: number; column: number } {
  return w.line === 0 ? { line: code.line, column: code.column + 1 + w.column } : { line: code.line + w.line, column: w.column + 1 };
}

export function wordTexts(words: readonly ShellWord[]): string[] {
  return words.map((w) => w.text);
}
