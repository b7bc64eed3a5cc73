import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { drillPhasesSummary } from './drill-phases.ts';

/**
 * The slowest test files of the run, printed last: the suite's time budget is spent by a few drill
 * files, and a file that grew shows here before the whole run outgrows its limit.
 */
export default class FileTimes implements Reporter {
  private readonly times: { file: string; project: string; ms: number }[] = [];

  onTestModuleEnd(module: TestModule): void {
    this.times.push({ file: path.relative(process.cwd(), module.moduleId), project: module.project.name, ms: module.diagnostic().duration });
  }

  onTestRunEnd(): void {
    if (this.times.length === 0) return;
    const total = this.times.reduce((sum, t) => sum + t.ms, 0);
    const slowest = [...this.times].sort((a, b) => b.ms - a.ms).slice(0, 15);
    const lines = slowest.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${(((t.ms / total) * 100).toFixed(0) + '%').padStart(4)}  ${t.file} (${t.project})`);
    process.stdout.write(`\nSlowest test files (of ${this.times.length}, ${(total / 1000).toFixed(0)} s in all):\n${lines.join('\n')}\n`);
    process.stdout.write(drillPhasesSummary(process.env.AGENTDRILL_DRILL_PHASES));
  }
}
