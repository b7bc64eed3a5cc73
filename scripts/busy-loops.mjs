#!/usr/bin/env node
// Other work on the same cores, as a loaded CI runner has: N processes that each spin one core,
// each ending by itself after a deadline (so a crashed caller never leaves them spinning).
//
//   node scripts/busy-loops.mjs [--loops 2] [--max-minutes 90] -- <command> [args...]
//       runs the command with the loops beside it, stops them after, exits with its status
//   import { startBusyLoops } from './busy-loops.mjs'   the same from another script
import { spawn } from 'node:child_process';
import os from 'node:os';

/** Starts `count` spinning processes that stop after `maxMs` or when stop() is called. */
export function startBusyLoops(count = 2, maxMs = 90 * 60_000) {
  const spin = `const end = Date.now() + ${Math.floor(maxMs)}; let x = 0; while (Date.now() < end) { x = (x * 31 + 7) % 1000003; }`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
  return {
    pids: children.map((c) => c.pid),
    stop() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    },
  };
}

function parseArgs(argv) {
  const o = { loops: 2, maxMinutes: 90, command: [] };
  const dash = argv.indexOf('--');
  const flags = dash < 0 ? argv : argv.slice(0, dash);
  o.command = dash < 0 ? [] : argv.slice(dash + 1);
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--loops') o.loops = Number(flags[++i]);
    else if (flags[i] === '--max-minutes') o.maxMinutes = Number(flags[++i]);
    else throw new Error(`unknown flag ${flags[i]} (usage: busy-loops.mjs [--loops N] [--max-minutes M] -- command...)`);
  }
  if (!(o.loops >= 1 && o.loops <= 64) || !(o.maxMinutes > 0 && o.maxMinutes <= 24 * 60)) throw new Error('--loops 1..64, --max-minutes up to 1440');
  if (o.command.length === 0) throw new Error('give the command to run after --');
  return o;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`busy-loops: ${e.message}`);
    process.exit(2);
  }
  const loops = startBusyLoops(o.loops, o.maxMinutes * 60_000);
  console.error(`busy-loops: ${o.loops} spinning processes (${loops.pids.join(', ')}) beside: ${o.command.join(' ')}`);
  const child = spawn(o.command[0], o.command.slice(1), { stdio: 'inherit' });
  const timer = setTimeout(() => child.kill('SIGTERM'), o.maxMinutes * 60_000);
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    loops.stop();
    console.error(`busy-loops: done (load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')})`);
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
  });
}
