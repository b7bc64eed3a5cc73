/**
 * `npm run bench`: figures, not assertions. Warm bring-up of each part next to a bare broker,
 * one real drill timed by phase with the harness's CPU and memory, and report rendering.
 */
import { benchBringUp } from './bringup.ts';
import { benchDrill } from './drill.ts';
import { benchReport, formatReportBench } from './report.ts';

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);

console.log('agentdrill benchmarks (figures only; this machine:', `${(await import('node:os')).cpus().length} cores)\n`);

const bring = await benchBringUp();
console.log('warm bring-up');
console.log(`  provisioning (cache warm)        ${fmt(bring.provisionWarmMs)}`);
console.log(`  bare broker (format + port open) ${fmt(bring.bareBrokerMs)}`);
console.log(`  broker ready (admin answers)     ${fmt(bring.brokerReadyMs)}`);
console.log(`  Kafka + Toxiproxy ready          ${fmt(bring.infraReadyMs)}`);
console.log(`  fleet ready (API + 6 agents)     ${fmt(bring.fleetReadyMs)}`);

const drill = await benchDrill('scenarios/downstream-backlog.yaml');
console.log(`\ndrill downstream-backlog: ${drill.verdict}, wall ${fmt(drill.wallMs)}`);
for (const [phase, ms] of Object.entries(drill.phasesMs)) console.log(`  ${phase.padEnd(12)} ${fmt(ms)}`);
console.log(`  harness CPU ${drill.harnessCpuPercent.toFixed(1)}% of one core, max RSS ${drill.harnessMaxRssMb.toFixed(0)} MB`);

console.log('\nreport rendering (10-minute journal at 4 Hz)');
console.log(formatReportBench(benchReport()));
