/**
 * `npm run bench`: figures, not assertions. Warm bring-up of each part next to a bare broker,
 * one real drill timed by phase with the harness's CPU and memory, and report rendering, under
 * the local provider and the docker provider side by side, plus the docker images' build times.
 * `npm run bench -- --only local|docker` (or AGENTDRILL_BENCH_ONLY) runs one half; `--only validate|load|scale|kubernetes` one figure.
 */
import os from 'node:os';
import { benchBringUp, type BringUpFigures } from './bringup.ts';
import { cleanUpOnSignals, measure } from './cleanup.ts';
import { benchDockerBringUp, type DockerBringUpFigures } from './docker.ts';
import { benchImages, type Figure, type ImageFigures } from './docker-images.ts';
import { benchDetection, formatDetectionBench } from './detection.ts';
import { benchDrill, type DrillFigures } from './drill.ts';
import { benchFleetScale, formatFleetScale } from './fleet-scale.ts';
import { baseImageTag } from '../src/infra/docker/images/base-image.ts';
import { benchCliStartup } from './cli-startup.ts';
import { benchLoadGeneratorLocal, formatLoadGeneratorBench } from './load-generator.ts';
import { benchReport, formatReportBench } from './report.ts';
import { benchSampleCostLocal, formatSampleCostBench } from './sample-cost.ts';
import { benchKubernetes } from './kubernetes.ts';
import { benchValidate } from './validate.ts';

const halves = ['local', 'docker'] as const;
type Half = (typeof halves)[number];

type Selection = 'all' | Half | 'validate' | 'load' | 'scale' | 'kubernetes';

/**
 * `--only validate` runs the runbook lint figure alone (seconds, no broker); `--only load` the load
 * generator against Kafka's own tool (a minute, a local broker); `--only scale` one sample's cost
 * as the fleet grows (a few minutes, a local broker), then the harness in a drill of 6 and of 50
 * agent instances.
 */
function selection(argv: string[], env: NodeJS.ProcessEnv): Selection {
  const at = argv.indexOf('--only');
  const value = at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? env.AGENTDRILL_BENCH_ONLY);
  if (!value) return 'all';
  if (value === 'local' || value === 'docker' || value === 'validate' || value === 'load' || value === 'scale' || value === 'kubernetes') return value;
  console.error(`bench: --only ${value} is not one of local, docker, validate, load, scale, kubernetes`);
  process.exit(2);
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const steady = (d: DrillFigures) => (d.harnessBaselineCpuPercent === undefined ? '—' : `${d.harnessBaselineCpuPercent.toFixed(1)}%`);
const fig = (f: Figure) => ('ms' in f ? fmt(f.ms) : `not measured (${f.notMeasured})`);
/** One row: label, then the local and docker columns. */
const row = (label: string, local: string, docker: string) => `  ${label.padEnd(36)} ${local.padStart(10)} ${docker.padStart(10)}`;
const header = (title: string) => `${title.padEnd(38)} ${'local'.padStart(10)} ${'docker'.padStart(10)}`;

const selected = selection(process.argv.slice(2), process.env);
// The order pipeline's image is built for the drills on docker and kubernetes; no registry answers
// here, so it is built FROM agentdrill's own Debian base unless the caller chose a base.
process.env.ORDER_PIPELINE_BASE ??= baseImageTag();
const only: Half[] = selected === 'all' ? [...halves] : selected === 'local' || selected === 'docker' ? [selected] : [];
const runs = (h: Half) => only.includes(h);
cleanUpOnSignals();
console.log(`agentdrill benchmarks (figures only; this machine: ${os.cpus().length} cores; providers: ${only.join(', ') || 'none'})\n`);

const lint = await benchValidate();
console.log(`runbook validation (${lint.pages} pages, on-call profile): ${fmt(lint.firstMs)} in process after start-up (warm ${fmt(lint.warmMs)}); agentdrill validate with all of them ${fmt(lint.cliMs)}, start-up alone ${fmt(lint.startupMs)}\n`);
if (selected === 'validate') process.exit(0);

if (selected === 'load') {
  const loadFigures = await measure(benchLoadGeneratorLocal);
  console.log(`load generator (${loadFigures.records.toLocaleString('en-US')} records of ${loadFigures.recordBytes} B, acks=all, 6 partitions, one local broker)`);
  for (const line of formatLoadGeneratorBench(loadFigures)) console.log(line);
  process.exit(0);
}

if (selected === 'scale' || selected === 'all') {
  const rows = await measure(benchSampleCostLocal);
  console.log('one sample at fleet scale (the sampler\'s broker calls: offsets per group + one describeGroups; 4 groups, 4 Hz)');
  for (const line of formatSampleCostBench(rows)) console.log(line);
  console.log('');
  const fleet = await measure(benchFleetScale);
  console.log('the harness at fleet scale (one kill-consumer drill each, local provider, 100 events/s)');
  for (const line of formatFleetScale(fleet)) console.log(line);
  console.log('');
  if (selected === 'scale') process.exit(0);
}

if (selected === 'all' || selected === 'kubernetes') {
  const k = await measure(benchKubernetes);
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(47)} ${value}`);
  console.log('local Kubernetes cluster (one node, real pods)');
  line(k.provisionCold ? 'provisioning: cold build into the cache' : 'provisioning (cache warm)', fmt(k.provisionMs));
  line('start: certificates → node Ready', fmt(k.startMs));
  line('first pod (pause image) created → Running', fmt(k.podRunningMs));
  line(`stop and sweep (${k.clean ? 'nothing left' : 'LEFTOVERS'})`, fmt(k.stopMs));
  // The same drill on both providers that run the fleet from its images, one after the other.
  const onPods = await measure(() => benchDrill('scenarios/downstream-backlog.yaml', 'kubernetes'));
  const inContainers = await measure(() => benchDrill('scenarios/downstream-backlog.yaml', 'docker'));
  const side = (label: string, f: (d: DrillFigures) => string) => console.log(`  ${label.padEnd(36)} ${f(onPods).padStart(10)} ${f(inContainers).padStart(10)}`);
  console.log(`${'drill downstream-backlog'.padEnd(38)} ${'kubernetes'.padStart(10)} ${'docker'.padStart(10)}`);
  side('verdict', (d) => d.verdict);
  side('wall', (d) => fmt(d.wallMs));
  for (const phase of [...new Set([...Object.keys(onPods.phasesMs), ...Object.keys(inContainers.phasesMs)])]) side(`  ${phase}`, (d) => fmt(d.phasesMs[phase]));
  side('harness CPU (% of one core)', (d) => `${d.harnessCpuPercent.toFixed(1)}%`);
  side('  of it in the baseline (steady state)', steady);
  side('harness max RSS', (d) => `${d.harnessMaxRssMb.toFixed(0)} MB`);
  side('harness start-up CPU', (d) => fmt(d.harnessStartupCpuMs));
  console.log('');
  if (selected === 'kubernetes') process.exit(0);
}

let images: ImageFigures | undefined;
if (runs('docker')) {
  images = await measure(benchImages);
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(47)} ${value}`);
  console.log('docker images (built here, no registry)');
  line('cached: Kafka + Toxiproxy (tags present)', fmt(images.cachedInfraMs));
  line(`as a drill resolves them (${images.imageSource})`, fmt(images.drillEnsureMs));
  console.log('  cold (--no-cache, throwaway tags; jars and Toxiproxy binary cached)');
  line('  base (debootstrap + docker import)', fig(images.cold.base));
  line('  kafka (apt-get JRE + jars)', fig(images.cold.kafka));
  line('  toxiproxy (FROM scratch + binary)', fig(images.cold.toxiproxy));
  console.log('');
}

let local: BringUpFigures | undefined;
let docker: DockerBringUpFigures | undefined;
if (runs('local')) local = await measure(benchBringUp);
if (runs('docker')) docker = await measure(benchDockerBringUp);
console.log(header('warm bring-up'));
console.log(row('provisioning (cache warm)', fmt(local?.provisionWarmMs), '—'));
console.log(row('bare broker (format + port open)', fmt(local?.bareBrokerMs), '—'));
console.log(row('Kafka start → first admin call', fmt(local?.kafkaAdminMs), fmt(docker?.kafkaAdminMs)));
console.log(row('broker ready in provider start', fmt(local?.brokerReadyMs), fmt(docker?.brokerReadyMs)));
console.log(row('Kafka + Toxiproxy ready', fmt(local?.infraReadyMs), fmt(docker?.infraReadyMs)));
console.log(row('fleet ready (order pipeline: API + 4 agents)', fmt(local?.fleetReadyMs), fmt(docker?.fleetReadyMs)));

const drills: Partial<Record<Half, DrillFigures>> = {};
for (const half of only) drills[half] = await measure(() => benchDrill('scenarios/downstream-backlog.yaml', half));
const cell = (half: Half, f: (d: DrillFigures) => string) => (drills[half] ? f(drills[half]) : '—');
const phases = [...new Set(Object.values(drills).flatMap((d) => Object.keys(d.phasesMs)))];
console.log(`\n${header('drill downstream-backlog')}`);
console.log(row('verdict', cell('local', (d) => d.verdict), cell('docker', (d) => d.verdict)));
console.log(row('wall', cell('local', (d) => fmt(d.wallMs)), cell('docker', (d) => fmt(d.wallMs))));
for (const phase of phases) console.log(row(`  ${phase}`, cell('local', (d) => fmt(d.phasesMs[phase])), cell('docker', (d) => fmt(d.phasesMs[phase]))));
console.log(row('harness CPU, % of a core (goal ≤ 5)', cell('local', (d) => `${d.harnessCpuPercent.toFixed(1)}%`), cell('docker', (d) => `${d.harnessCpuPercent.toFixed(1)}%`)));
console.log(row('  of it in the baseline (steady state)', cell('local', (d) => steady(d)), cell('docker', (d) => steady(d))));
console.log(row('harness max RSS (goal ≤ 150 MB)', cell('local', (d) => `${d.harnessMaxRssMb.toFixed(0)} MB`), cell('docker', (d) => `${d.harnessMaxRssMb.toFixed(0)} MB`)));
console.log(row('harness start-up CPU', cell('local', (d) => fmt(d.harnessStartupCpuMs)), cell('docker', (d) => fmt(d.harnessStartupCpuMs))));

if (runs('local')) {
  const detection = await measure(benchDetection);
  console.log('\ndetection pipeline (downstream-backlog, local; inventory lag > 150 for 2s both ways)');
  for (const line of formatDetectionBench(detection)) console.log(line);
}

if (runs('local')) {
  const loadFigures = await measure(benchLoadGeneratorLocal);
  console.log(`\nload generator (${loadFigures.records.toLocaleString('en-US')} records of ${loadFigures.recordBytes} B, acks=all, 6 partitions, one local broker)`);
  for (const line of formatLoadGeneratorBench(loadFigures)) console.log(line);
}

const startup = benchCliStartup(['ctl', '--help']);
console.log(`\nCLI start-up (agentdrill ctl --help, what each ctl step pays): median ${fmt(startup.medianMs)}, min ${fmt(startup.minMs)}`);

console.log('\nreport rendering (10-minute journal at 4 Hz)');
console.log(formatReportBench(benchReport()));
