#!/usr/bin/env node
// Runs chosen test files N times (optionally with busy loops on the cores, as a loaded CI runner
// has) and prints how often each file passed and, for every drill the runs performed, the spread
// of its verdicts, TTD and TTR. The drills' journals are read from each run's own TMPDIR.
//
//   node scripts/flake-hunt.mjs [--runs 5] [--busy 2] <test files...>
//
// It provides the Docker engine the way `npm test` does; 0 failures of N per file is the bar.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startBusyLoops } from './busy-loops.mjs';
import { ensureDockerEngine } from './docker-engine.mjs';

function parseArgs(argv) {
  const o = { runs: 5, busy: 0, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') o.runs = Number(argv[++i]);
    else if (argv[i] === '--busy') o.busy = Number(argv[++i]);
    else if (argv[i].startsWith('--')) throw new Error(`unknown flag ${argv[i]}`);
    else o.files.push(argv[i]);
  }
  if (!(o.runs >= 1 && o.runs <= 100)) throw new Error('--runs must be 1..100');
  if (!(o.busy >= 0 && o.busy <= 16)) throw new Error('--busy must be 0..16');
  if (o.files.length === 0) throw new Error('name the test files to run, e.g. test/e2e/docker-drills.test.ts');
  return o;
}

/** Every journal.json under dir: scenario, provider, verdict, TTD, TTR. */
function drillsUnder(dir) {
  const found = [];
  const walk = (d, depth) => {
    if (depth > 6) return;
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      let s;
      try {
        s = statSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) walk(p, depth + 1);
      else if (name === 'journal.json') {
        try {
          const { events } = JSON.parse(readFileSync(p, 'utf8'));
          const started = events.find((e) => e.type === 'drill.started')?.payload;
          const score = events.filter((e) => e.type === 'score').at(-1)?.payload;
          // Negative controls share their scenario's name: the checksums tell the variants apart.
          const variant = `${started.scenario.checksum ?? ''}${started.runbook?.checksum ?? ''}`.replace(/sha256:/g, '');
          const tag = variant ? ` #${variant.slice(0, 4)}${variant.slice(64, 68)}` : '';
          if (started && score) found.push({ drill: `${started.scenario.name} (${started.provider})${tag}`, verdict: score.verdict, ttdMs: score.ttdMs, ttrMs: score.ttrMs });
        } catch {
          // a journal being written or damaged: not a finished drill
        }
      }
    }
  };
  walk(dir, 0);
  return found;
}

const spread = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return '—';
  const s = (ms) => `${(ms / 1000).toFixed(1)}s`;
  return `${s(v[0])} / ${s(v[Math.floor(v.length / 2)])} / ${s(v.at(-1))}`;
};

const o = (() => {
  try {
    return parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`flake-hunt: ${e.message}`);
    process.exit(2);
  }
})();
const engine = ensureDockerEngine();
const loops = o.busy > 0 ? startBusyLoops(o.busy, o.runs * 45 * 60_000) : undefined;
const stopAll = () => {
  loops?.stop();
  engine.stop();
};
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => (stopAll(), process.exit(130)));
const passes = new Map(o.files.map((f) => [f, 0]));
const drills = [];
try {
  for (let run = 1; run <= o.runs; run++) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-flake-'));
    const report = path.join(tmp, 'vitest.json');
    const started = Date.now();
    const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...o.files], {
      stdio: 'inherit',
      env: { ...process.env, ...engine.env, TMPDIR: tmp },
    });
    let results = [];
    try {
      results = JSON.parse(readFileSync(report, 'utf8')).testResults ?? [];
    } catch {
      // vitest died before writing its report: no file passed this run
    }
    for (const f of o.files) {
      const res = results.find((t) => t.name.endsWith(f.replace(/^\.\//, '')));
      if (res?.status === 'passed') passes.set(f, passes.get(f) + 1);
    }
    drills.push(...drillsUnder(tmp));
    console.log(`\n== flake-hunt run ${run}/${o.runs}: exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${os.loadavg()[0].toFixed(2)}`);
    rmSync(tmp, { recursive: true, force: true });
  }
} finally {
  stopAll();
}
console.log(`\n== passes of ${o.runs} runs${o.busy ? ` with ${o.busy} busy loops` : ''}`);
for (const [f, n] of passes) console.log(`${String(n).padStart(3)}/${o.runs}  ${f}`);
const byDrill = Map.groupBy ? Map.groupBy(drills, (d) => d.drill) : drills.reduce((m, d) => m.set(d.drill, [...(m.get(d.drill) ?? []), d]), new Map());
console.log('\n== drills: verdicts, TTD and TTR (min / median / max); #tag = scenario and runbook checksums (a negative control is its own variant)');
for (const [name, ds] of byDrill) {
  const verdicts = Object.entries(ds.reduce((c, d) => ((c[d.verdict] = (c[d.verdict] ?? 0) + 1), c), {})).map(([v, n]) => `${n} ${v}`).join(', ');
  console.log(`${name}: ${verdicts}; TTD ${spread(ds.map((d) => d.ttdMs))}; TTR ${spread(ds.map((d) => d.ttrMs))}`);
}
process.exit([...passes.values()].every((n) => n === o.runs) ? 0 : 1);
