import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { benchDrill, type DrillFigures } from './drill.ts';

/**
 * The detection pipeline's cost: the same downstream-backlog drill with the same condition
 * (inventory lag over 150 for 2 s), once judged by the built-in 250 ms evaluator and once paged
 * by the shipped Prometheus rule through Alertmanager (1 s scrape and evaluation, group_wait 1 s,
 * a tight production setup).
 */
export async function benchDetection(): Promise<{ builtin: DrillFigures; paged: DrillFigures }> {
  const builtin = await variantDrill({ alert: 'lag(group=inventory) > 150 for 2s' });
  const paged = await variantDrill({
    detection: { prometheus: { rules: [path.join(root, 'monitoring', 'order-pipeline.rules.yml')], alert: 'AgentConsumerLagHigh', scrapeInterval: '1s', evaluationInterval: '1s', groupWait: '1s', groupInterval: '5s' } },
  });
  return { builtin, paged };
}

const root = path.resolve(import.meta.dirname, '..');

async function variantDrill(edits: Record<string, unknown>): Promise<DrillFigures> {
  const doc = parseDocument(readFileSync(path.join(root, 'scenarios', 'downstream-backlog.yaml'), 'utf8'));
  doc.set('runbook', `${path.join(root, 'runbooks', 'order-pipeline.md')}#downstream-backlog`);
  // The copy lives in a temp folder: the fleet file is named by its absolute path.
  doc.set('fleet', path.join(root, 'examples', 'order-pipeline', 'fleet.yaml'));
  for (const [key, value] of Object.entries(edits)) doc.set(key, value);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-bench-detection-'));
  try {
    const file = path.join(dir, 'downstream-backlog.yaml');
    writeFileSync(file, doc.toString());
    return await benchDrill(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatDetectionBench({ builtin, paged }: { builtin: DrillFigures; paged: DrillFigures }): string[] {
  const s = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const b = paged.detection;
  const lines = [
    `  built-in evaluator (250 ms samples)              TTD ${s(builtin.ttdMs)}  (${builtin.verdict})`,
    `  Prometheus + Alertmanager (AgentConsumerLagHigh) TTD ${s(paged.ttdMs)}  (${paged.verdict})`,
  ];
  if (b) {
    lines.push(`    over threshold ${s(b.thresholdMs)} → pending ${s(b.pendingMs)} → firing ${s(b.firingMs)} → notified ${s(b.notifiedMs)}`);
    const added = b.notifiedMs !== undefined && b.thresholdMs !== undefined ? b.notifiedMs - b.thresholdMs : undefined;
    lines.push(`    pipeline after the crossing sample (scrape + evaluation + for: 2s + group_wait 1s + delivery): ${s(added)}`);
  }
  if (builtin.ttdMs !== undefined && paged.ttdMs !== undefined) lines.push(`    added latency of the detection pipeline: ${s(paged.ttdMs - builtin.ttdMs)} (one run each; the fault's own timing varies between drills)`);
  return lines;
}
