#!/usr/bin/env node
// Gives the test command a Docker engine (issue 7): a daemon that already answers (DOCKER_HOST
// honored), else — as root only — Debian's docker.io and a dockerd of our own whose data lives in
// the agentdrill cache, stopped when the tests end. Without root and without a daemon it says
// what is missing; Docker tests are never silently skipped. The same goes for Compose (the
// docker-compose.yml test): `docker compose` or `docker-compose` if either answers, else — as
// root — Debian's docker-compose package.
//
//   eval "$(node scripts/docker-engine.mjs)"   ensure an engine, export DOCKER_HOST=... (stdout)
//   node scripts/docker-engine.mjs stop    stop the dockerd this script started
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Short on purpose: unix socket paths are limited to 108 bytes.
const socket = '/run/agentdrill-docker.sock';
const pidFile = '/run/agentdrill-docker.pid';
const execRoot = '/tmp/agentdrill-docker-exec';
const ownHost = `unix://${socket}`;

function cacheDir(env = process.env) {
  return env.AGENTDRILL_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agentdrill');
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** `docker info` is the proof an engine answers; the CLI may be missing entirely on a fresh host. */
function answers(host) {
  const env = { ...process.env };
  if (host) env.DOCKER_HOST = host;
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { env, encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function onPath(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(log, packages) {
  for (const args of [['update'], ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', '--no-install-recommends', ...packages]]) {
    log(`apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
}

function ownPid() {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Ensures an engine and returns { env, stop }: env holds DOCKER_HOST (when not the default) and
 * TESTCONTAINERS_RYUK_DISABLED (Ryuk's image cannot be had here); stop() stops the dockerd only
 * if this call started it. Also ensures a Compose CLI (ensureCompose). Throws an Error whose
 * message is the one line to show.
 */
export function ensureDockerEngine({ log = (m) => console.log(`== docker: ${m}`) } = {}) {
  const engine = ensureEngine(log);
  try {
    ensureCompose(log, engine.env);
  } catch (e) {
    engine.stop();
    throw e;
  }
  return engine;
}

function ensureEngine(log) {
  const base = { TESTCONTAINERS_RYUK_DISABLED: 'true' };
  const noop = () => {};
  if (process.env.DOCKER_HOST) {
    const version = answers();
    if (version) return log(`using DOCKER_HOST=${process.env.DOCKER_HOST} (engine ${version})`), { env: base, stop: noop };
    throw new Error(`DOCKER_HOST=${process.env.DOCKER_HOST} is set but no Docker engine answers there`);
  }
  const version = onPath('docker') ? answers() : undefined;
  if (version) return log(`using the default Docker engine (${version})`), { env: base, stop: noop };
  const ownVersion = onPath('docker') ? answers(ownHost) : undefined;
  if (ownVersion) {
    // Left running by a standalone call: reuse it, and leave stopping it to whoever started it.
    log(`using agentdrill's dockerd at ${ownHost} (engine ${ownVersion})`);
    return { env: { ...base, DOCKER_HOST: ownHost }, stop: noop };
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      'No Docker engine answers (docker info failed; DOCKER_HOST unset) and this is not root, so the tests cannot start one. ' +
        'Start Docker (or set DOCKER_HOST to its socket), or run the tests as root to let them install docker.io and run their own dockerd.',
    );
  }
  if (!onPath('dockerd') || !onPath('docker')) aptInstall(log, ['docker.io']);
  const stop = startDockerd(log);
  return { env: { ...base, DOCKER_HOST: ownHost }, stop };
}

/** The Compose CLI that answers (v2 plugin first), as argv words; undefined when neither does. */
export function composeCommand(env = process.env) {
  for (const words of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(words[0], [...words.slice(1), 'version'], { env, encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return { words, version: r.stdout.trim().split('\n')[0] };
  }
  return undefined;
}

/**
 * docker-compose.yml is exercised by a test (issue 7): a Compose CLI must answer. As root, Debian's
 * docker-compose (1.29, python; talks to DOCKER_HOST like the docker CLI) is installed when
 * neither `docker compose` nor `docker-compose` does; without root, one message says so.
 */
function ensureCompose(log, engineEnv) {
  const env = { ...process.env, ...engineEnv };
  let found = composeCommand(env);
  if (!found) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'Neither `docker compose` nor `docker-compose` answers and this is not root, so the tests cannot install one. ' +
          'Install Docker Compose (e.g. apt-get install -y docker-compose), or run the tests as root to let them install it.',
      );
    }
    aptInstall(log, ['docker-compose']);
    found = composeCommand(env);
    if (!found) throw new Error('apt-get installed docker-compose but `docker-compose version` still fails');
  }
  log(`compose: ${found.words.join(' ')} (${found.version})`);
}

function startDockerd(log) {
  const dataRoot = path.join(cacheDir(), 'docker', 'data');
  const logFile = path.join(cacheDir(), 'docker', 'dockerd.log');
  fs.mkdirSync(dataRoot, { recursive: true });
  fs.rmSync(socket, { force: true });
  const args = ['--data-root', dataRoot, '--exec-root', execRoot, '--pidfile', pidFile, '-H', ownHost];
  log(`starting dockerd ${args.join(' ')} (log: ${logFile})`);
  const out = fs.openSync(logFile, 'a');
  // Own process group: a Ctrl-C at the terminal must not kill the engine before the tests have
  // removed their containers; stop() ends it afterwards.
  const child = spawn('dockerd', args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  fs.closeSync(out);
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const v = answers(ownHost);
    if (v) {
      log(`dockerd ${v} answers at ${ownHost} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return () => stopDockerd(log);
    }
    if (child.exitCode !== null || !isAlive(child.pid)) break;
    sleepMs(250);
  }
  stopDockerd(log);
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`dockerd did not answer within 60 s; last log lines:\n${tail}`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A dockerd we started and that has exited stays a zombie until this (blocked) process reaps
  // it, and signal 0 still reaches a zombie: without this, every stop waited the full 20 s.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGTERM lets dockerd stop its containerd and containers; SIGKILL only if it hangs. */
export function stopDockerd(log = (m) => console.log(`== docker: ${m}`)) {
  const pid = ownPid();
  if (!pid) return;
  log(`stopping dockerd (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const started = Date.now();
  while (isAlive(pid) && Date.now() - started < 20_000) sleepMs(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  removeExecRoot(log);
}

/**
 * dockerd leaves its exec root behind, with its default network namespace still bind-mounted in
 * it: unmount what is mounted there, then remove the folder, so a stopped engine leaves nothing in /tmp.
 */
function removeExecRoot(log) {
  const mounts = fs.existsSync('/proc/self/mounts') ? fs.readFileSync('/proc/self/mounts', 'utf8') : '';
  const under = mounts
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target === execRoot || target.startsWith(`${execRoot}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of under) spawnSync('umount', [target], { stdio: 'ignore' });
  try {
    fs.rmSync(execRoot, { recursive: true, force: true });
  } catch (e) {
    log(`could not remove ${execRoot} (${e.code ?? e}): remove it by hand`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    if (process.argv[2] === 'stop') stopDockerd();
    else {
      // Progress on stderr: stdout is only the export lines, for `eval "$(node scripts/docker-engine.mjs)"`.
      const { env } = ensureDockerEngine({ log: (m) => console.error(`== docker: ${m}`) });
      // Standalone: the daemon keeps running for the commands that follow; `stop` ends it.
      for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
    }
  } catch (e) {
    console.error(`== docker: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
