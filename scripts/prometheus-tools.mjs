#!/usr/bin/env node
// Gives the test command Debian's Prometheus server, promtool and Alertmanager (the detection
// drills run the team's own rules in them). Idempotent: nothing is done when all three are on
// PATH. As root it installs `prometheus` and `prometheus-alertmanager` with apt; otherwise it says
// what is missing. The packages' init scripts would start a Prometheus on :9090 and an
// Alertmanager on :9093 for good: RUNLEVEL=1 makes invoke-rc.d leave them stopped, since a drill
// starts its own, on ports of its own, and stops them.
//
//   node scripts/prometheus-tools.mjs     ensure the three tools (exit 0), or say why not (exit 1)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Debian names Alertmanager's binary prometheus-alertmanager.
export const prometheusTools = ['prometheus', 'promtool', 'prometheus-alertmanager'];
export const prometheusPackages = ['prometheus', 'prometheus-alertmanager'];

function onPath(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Throws with what to do when the tools are missing and cannot be installed here. */
export function ensurePrometheusTools(log = (m) => console.error(`[prometheus] ${m}`)) {
  const missing = prometheusTools.filter((t) => !onPath(t));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${missing.join(', ')} missing; as root: apt-get update && apt-get install -y --no-install-recommends ${prometheusPackages.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  for (const args of [['update'], ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', '--no-install-recommends', ...prometheusPackages]]) {
    log(`apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env, timeout: 15 * 60_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status ?? r.signal})`);
  }
  const still = prometheusTools.filter((t) => !onPath(t));
  if (still.length > 0) throw new Error(`apt-get installed ${prometheusPackages.join(' ')} but ${still.join(', ')} is not on PATH`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensurePrometheusTools();
  } catch (e) {
    console.error(`prometheus-tools: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
