#!/usr/bin/env node
// Builds what the payments example's commands run: a Python venv with its Kafka client and the
// compiled Java ledger. Cached per user under a hash of the sources and pinned versions, so a
// second run (every drill, every test) takes milliseconds; built in a temp folder and renamed,
// so two runs at once cannot leave half a build. `.build` here points at the cached build.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pins = { 'confluent-kafka': '2.16.1', kafka: process.env.AGENTDRILL_KAFKA_VERSION || '4.1.1', slf4j: '1.7.36' };
const sources = ['setup.mjs', 'agents/scorer/scorer.py', 'agents/ledger/src/example/payments/Ledger.java'];

export async function setupPaymentsExample({ log = (m) => console.log(`payments setup: ${m}`) } = {}) {
  const hash = createHash('sha256').update(JSON.stringify(pins));
  for (const s of sources) hash.update(fs.readFileSync(path.join(here, s)));
  const cacheBase = process.env.AGENTDRILL_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agentdrill');
  const root = path.join(cacheBase, 'examples', 'payments');
  const build = path.join(root, hash.digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(build, 'done'))) {
    log(`cached (${build})`);
  } else {
    fs.mkdirSync(root, { recursive: true });
    const tmp = path.join(root, `.tmp-${randomBytes(4).toString('hex')}`);
    try {
      const started = Date.now();
      await buildInto(tmp, cacheBase, log);
      fs.writeFileSync(path.join(tmp, 'done'), new Date().toISOString());
      try {
        fs.renameSync(tmp, build);
      } catch (e) {
        // Another run finished first: its build is as good as ours.
        if (!fs.existsSync(path.join(build, 'done'))) throw e;
      }
      log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s (${build})`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  pointAt(path.join(here, '.build'), build);
  return build;
}

async function buildInto(dir, cacheBase, log) {
  const python = need('python3', 'apt-get install -y python3 python3-venv');
  const javac = need('javac', 'install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)');
  const jar = need('jar', 'install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)');
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  log(`python venv with confluent-kafka ${pins['confluent-kafka']}`);
  run(python, ['-m', 'venv', path.join(dir, 'venv')]);
  run(path.join(dir, 'venv', 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `confluent-kafka==${pins['confluent-kafka']}`]);
  const libs = path.join(dir, 'libs');
  fs.mkdirSync(libs);
  await kafkaClientJars(libs, cacheBase, log);
  log('compiling the ledger');
  const classes = path.join(dir, 'classes');
  const classpath = path.join(libs, '*');
  run(javac, ['--release', '17', '-nowarn', '-cp', classpath, '-d', classes, path.join(here, 'agents/ledger/src/example/payments/Ledger.java')]);
  run(jar, ['--create', '--file', path.join(dir, 'ledger.jar'), '-C', classes, '.']);
  // Launchers find the example from their own path (.build/bin/ → ../..), so the cached build
  // serves every clone; `exec` keeps the agent's pid the one the supervisor signals.
  launcher(path.join(dir, 'bin', 'scorer'), `exec "$here/.build/venv/bin/python" "$here/agents/scorer/scorer.py" "$@"`);
  launcher(path.join(dir, 'bin', 'ledger'), `exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$here/.build/ledger.jar:$here/.build/libs/*" example.payments.Ledger "$@"`);
}

/** kafka-clients and slf4j-api from the cached Kafka install, or else from Maven Central. */
async function kafkaClientJars(libs, cacheBase, log) {
  const home = process.env.AGENTDRILL_KAFKA_HOME || path.join(cacheBase, `kafka-${pins.kafka}`);
  const wanted = [`kafka-clients-${pins.kafka}.jar`, `slf4j-api-${pins.slf4j}.jar`];
  const maven = { [wanted[0]]: `org/apache/kafka/kafka-clients/${pins.kafka}`, [wanted[1]]: `org/slf4j/slf4j-api/${pins.slf4j}` };
  for (const name of wanted) {
    const cached = path.join(home, 'libs', name);
    if (fs.existsSync(cached)) {
      fs.copyFileSync(cached, path.join(libs, name));
      continue;
    }
    const url = `https://repo1.maven.org/maven2/${maven[name]}/${name}`;
    log(`downloading ${url}`);
    const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    fs.writeFileSync(path.join(libs, name), Buffer.from(await res.arrayBuffer()));
  }
}

function launcher(file, line) {
  fs.writeFileSync(file, `#!/bin/sh\nhere="$(cd "$(dirname "$0")/../.." && pwd)"\n${line}\n`, { mode: 0o755 });
}

function pointAt(link, target) {
  try {
    if (fs.readlinkSync(link) === target) return;
  } catch {
    // missing, or a real folder from elsewhere: replaced below
  }
  const tmp = `${link}.${randomBytes(4).toString('hex')}`;
  fs.symlinkSync(target, tmp);
  if (fs.existsSync(link) && !fs.lstatSync(link).isSymbolicLink()) fs.rmSync(link, { recursive: true, force: true });
  fs.renameSync(tmp, link);
}

function need(tool, install) {
  const found = (process.env.PATH || '').split(path.delimiter).map((d) => path.join(d, tool)).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`${tool} is not on PATH: ${install}`);
  return found;
}

function run(file, args) {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${path.basename(file)} ${args.slice(0, 3).join(' ')} failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-5).join('\n')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setupPaymentsExample().catch((e) => {
    console.error(`payments setup: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
