import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { validateRunbookFile } from '../src/runbook/validate.ts';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'agentdrill.mjs');

export interface ValidateFigures {
  pages: number;
  /** Reading, parsing and linting every page once, in process, the first time (what one CLI call pays after start-up). */
  firstMs: number;
  /** The same, warm: the median of the rounds after the first. */
  warmMs: number;
  /** `agentdrill validate <pages>` as a user runs it, start-up included. */
  cliMs: number;
  /** `agentdrill validate --help`: the start-up alone. */
  startupMs: number;
}

/** 30 pages: the corpus (every layout), the fixtures and the shipped runbooks, repeated to 30. */
export function benchPages(count = 30): string[] {
  const corpus = path.join(root, 'test', 'fixtures', 'runbooks', 'corpus');
  const fixtures = path.join(root, 'test', 'fixtures', 'runbooks');
  const all = [
    ...readdirSync(corpus).filter((f) => f.endsWith('.md')).map((f) => path.join(corpus, f)),
    ...readdirSync(fixtures).filter((f) => f.endsWith('.md')).map((f) => path.join(fixtures, f)),
    path.join(root, 'runbooks', 'order-pipeline.md'),
    path.join(root, 'examples', 'payments', 'runbook.md'),
  ];
  return Array.from({ length: count }, (_, i) => all[i % all.length]!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The first in-process round is what one CLI call pays (a cold JIT); the later rounds show the code's own cost. */
export async function benchValidate(runs = 5): Promise<ValidateFigures> {
  const pages = benchPages();
  const inProcess: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    for (const page of pages) await validateRunbookFile(page);
    inProcess.push(performance.now() - t);
  }
  const time = (args: string[]) => {
    const t = performance.now();
    spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore', cwd: root });
    return performance.now() - t;
  };
  time(['validate', '--help']); // warms tsx's transform cache
  const cliRuns = Array.from({ length: 3 }, () => time(['validate', ...pages]));
  const startupRuns = Array.from({ length: 3 }, () => time(['validate', '--help']));
  return { pages: pages.length, firstMs: inProcess[0]!, warmMs: median(inProcess.slice(1)), cliMs: median(cliRuns), startupMs: median(startupRuns) };
}
