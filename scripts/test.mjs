#!/usr/bin/env node
// The one test command (README, .ci/run): typecheck, lint, the browser the report e2e test drives,
// then every vitest project. Provisioning of Kafka and Toxiproxy happens in the integration
// project's global setup, cached per user.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDockerEngine } from './docker-engine.mjs';
import { ensurePrometheusTools } from './prometheus-tools.mjs';
import { interruptDrills, runMarker, sweepRun } from './run-sweep.mjs';

const chromium = '/usr/bin/chromium';
const vitestArgs = process.argv.slice(2);
const projects = vitestArgs.flatMap((a, i) => (a === '--project' ? [vitestArgs[i + 1]] : a.startsWith('--project=') ? [a.slice(10)] : []));
const unitOnly = projects.length > 0 && projects.every((p) => p === 'unit');

/**
 * test/e2e/report-browser.test.ts loads reports in Debian's chromium. Installing it here, not in
 * the test, keeps apt out of the test run's timing and makes a missing browser one clear failure
 * instead of a skipped safety test. A unit-only run does not need it.
 */
function ensureChromium() {
  if (unitOnly || existsSync(chromium)) return 0;
  if (process.getuid?.() !== 0) {
    console.error(`\n== ${chromium} is missing: the report browser test needs it. Install it as root: apt-get update && apt-get install -y chromium`);
    return 1;
  }
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    console.log(`\n== browser: apt-get ${args.join(' ')}`);
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) return result.status ?? 1;
  }
  if (existsSync(chromium)) return 0;
  console.error(`\n== apt-get installed chromium but ${chromium} does not exist (on Ubuntu, chromium is a snap stub; use a Debian image)`);
  return 1;
}

/**
 * test/e2e/human-game-day.test.ts drives a human drill through a real terminal in tmux. Installed
 * here as root (like chromium) so a missing tmux is one clear failure, never a skipped test.
 */
function ensureTmux() {
  if (unitOnly) return 0;
  if (spawnSync('tmux', ['-V']).status === 0) return 0;
  if (process.getuid?.() !== 0) {
    console.error('\n== tmux is missing: the game-day test needs it. Install it as root: apt-get update && apt-get install -y tmux');
    return 1;
  }
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'tmux']]) {
    console.log(`\n== tmux: apt-get ${args.join(' ')}`);
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

/**
 * The docker provider's tests need an engine (issue 7): the machine's, or — as root — a dockerd
 * of our own, stopped on every exit path below (normal end, failure, SIGINT/SIGTERM). Its
 * DOCKER_HOST reaches vitest through `testEnv`. A unit-only run does not need it.
 */
// The run's marker: global-setup's leak check and the exit sweep below find this run's processes by it.
const runId = randomUUID();
const testEnv = { ...process.env, [runMarker]: runId };
let stopDocker = () => {};
function ensureDocker() {
  if (unitOnly) return 0;
  try {
    const engine = ensureDockerEngine();
    Object.assign(testEnv, engine.env);
    stopDocker = engine.stop;
    return 0;
  } catch (e) {
    console.error(`\n== docker: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
/**
 * The detection drills run the team's own rules in Debian's Prometheus and Alertmanager, and the
 * exported promtool test under the real promtool: installed here (as root, cached by being on
 * PATH), so a drill's own "not installed" is exit 4 and never a skipped test.
 */
function ensurePrometheus() {
  if (unitOnly) return 0;
  try {
    ensurePrometheusTools((m) => console.log(`== prometheus: ${m}`));
    return 0;
  } catch (e) {
    console.error(`\n== prometheus: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
/**
 * Tests make temp folders of their own (scenario variants, report folders) and the drills they
 * run make work dirs. vitest gets a TMPDIR of its own, removed at the end, so a run leaves nothing
 * in /tmp; before removing it, any drill work dir still there is a product leak and fails the run.
 */
let runTmp;
function withRunTmpDir() {
  runTmp = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-test-run-'));
  testEnv.TMPDIR = runTmp;
  // Each drill a test runs adds its phases here; the file-times reporter sums them at the end.
  testEnv.AGENTDRILL_DRILL_PHASES = path.join(runTmp, 'drill-phases.jsonl');
  return 0;
}
const drillWorkDir = /^agentdrill-.+-\d{8}-\d{6}-[0-9a-f]+-[A-Za-z0-9]{6}$/;
function drillWorkDirsLeft() {
  if (!runTmp) return 0;
  const left = readdirSync(runTmp).filter((name) => drillWorkDir.test(name));
  if (left.length === 0) return 0;
  console.error(`\n== drills left their work dirs behind (teardown must remove them):\n${left.map((n) => `   ${path.join(runTmp, n)}`).join('\n')}`);
  return 1;
}
process.on('exit', () => {
  for (const lane of lanes) sweepRun(lane.marker);
  try {
    // Retries: after Ctrl-C a drill still tearing down may write into it for a moment.
    if (runTmp) rmSync(runTmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (e) {
    console.error(`== temp: could not remove ${runTmp} (${e.code ?? e}); something still writes there: remove it by hand once it stops`);
  }
  stopDocker();
});
// A signal goes on to the step running (a CI job's SIGTERM reaches only this process); the step's
// end, then the exit handler's sweep, finish the job.
let current;
let interrupted;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(signal === 'SIGINT' ? 130 : 143);
    interrupted = signal;
    for (const lane of lanes) interruptDrills(lane.marker);
    if (current) current.kill(signal);
    for (const child of running) child.kill(signal);
    if (!current && running.size === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function runStep(cmd, args) {
  return new Promise((resolve) => {
    current = spawn(cmd, args, { stdio: 'inherit', env: testEnv });
    current.on('error', () => resolve(127));
    current.on('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? signal);
    });
  });
}

/**
 * The whole suite runs in two vitest processes at once. The drill lane (project `integration`)
 * holds every file whose verdicts depend on the machine's pace, the drills, one lane per two
 * cores as before. The untimed lane (projects `unit` and `untimed`) holds the files whose results
 * do not: parsers, reports, the CLI's refusals, the fleet and provider checks. It runs at a lower
 * CPU priority, so on a busy runner it takes the cycles the drills leave and never the ones they
 * need. Each lane has its own run marker: one lane's leak check at its end must not take the
 * other's running broker for a leftover. A run of chosen files (arguments) is one vitest, as before.
 */
const untimedNice = 5;
const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const lanes = vitestArgs.length > 0
  ? [{ name: 'tests', args: vitestArgs, marker: runId }]
  : [
      { name: 'drill lane', args: ['--project', 'integration'], marker: runId },
      { name: 'untimed lane', args: ['--project', 'unit', '--project', 'untimed'], marker: `${runId}-untimed`, nice: untimedNice, quiet: true },
    ];
const running = new Set();

/**
 * One vitest per lane. The untimed lane's output goes to a file and is printed once the drill
 * lane is done, so the two never interleave; a line says when it ended and how.
 */
async function runTests() {
  const results = await Promise.all(
    lanes.map(
      (lane) =>
        new Promise((resolve) => {
          const started = Date.now();
          const log = lane.quiet ? path.join(runTmp, `${lane.name.replace(/\W+/g, '-')}.log`) : undefined;
          const out = log ? openSync(log, 'w') : 'inherit';
          // vitest itself, not through npx: npm exec does not pass a lone SIGINT on, and vitest
          // would go on starting drills after the test command was told to stop.
          const argv = [process.execPath, vitestBin, 'run', ...lane.args];
          if (lane.nice) argv.unshift('nice', '-n', String(lane.nice));
          const env = { ...testEnv, [runMarker]: lane.marker };
          // Drill phases are the drill lane's figures; the untimed lane would print a partial copy.
          if (lane.quiet) delete env.AGENTDRILL_DRILL_PHASES;
          const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', out, out], env });
          running.add(child);
          const done = (code) => {
            running.delete(child);
            if (lanes.length > 1) console.log(`\n== ${lane.name} ended (exit ${code}) after ${((Date.now() - started) / 1000).toFixed(0)} s${log ? '; its output follows the drill lane\'s' : ''}`);
            resolve({ lane, code, log });
          };
          child.on('error', () => done(127));
          child.on('exit', (code, signal) => done(code ?? signal));
        }),
    ),
  );
  for (const { lane, log } of results) {
    if (!log) continue;
    console.log(`\n== ${lane.name} (nice ${lane.nice}): vitest run ${lane.args.join(' ')}\n`);
    process.stdout.write(readFileSync(log, 'utf8'));
  }
  return results.find((r) => r.code !== 0)?.code ?? 0;
}

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['lint', 'npx', ['eslint', '.']],
  ['browser', ensureChromium, chromium],
  ['tmux', ensureTmux, 'tmux (a real terminal for the game-day test)'],
  ['docker', ensureDocker, 'a Docker engine'],
  ['prometheus', ensurePrometheus, 'Prometheus, promtool and Alertmanager (Debian packages)'],
  ['temp', withRunTmpDir, 'a TMPDIR for this run'],
  ['tests', runTests, lanes.map((l) => `${l.name}: vitest run ${l.args.join(' ')}${l.nice ? ` (nice ${l.nice})` : ''}`).join('; ')],
  ['leftovers', drillWorkDirsLeft, 'no drill work dir left in the run TMPDIR'],
];
for (const [name, cmd, args] of steps) {
  let status;
  if (typeof cmd === 'function') {
    console.log(`\n== ${name}: ${args}`);
    status = await cmd();
  } else {
    console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
    status = await runStep(cmd, args);
  }
  if (interrupted) process.exit(interrupted === 'SIGINT' ? 130 : 143);
  if (status !== 0) {
    console.error(`\n== ${name} failed (exit ${status})`);
    process.exit(typeof status === 'number' ? status : 1);
  }
}
